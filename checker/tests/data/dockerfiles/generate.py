#!/usr/bin/env python3
"""Writes the generated part of the differential corpus (gen-*.Dockerfile).

The corpus of checker/tests/lint.rs is written for this project, not copied: the
hand-written files (hand-*.Dockerfile) cover the edge cases one by one, and this script
combines the shapes real projects use (official-image apt/apk installs, multi-stage
Go/Node/Python/Java/.NET/Rust builds, `docker init` templates, cache/bind/secret mounts,
ARG-composed bases) with the slips students make, so every rule is met both broken
and respected. Deterministic: the same files on every run.

    python3 checker/tests/data/dockerfiles/generate.py
"""

import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

APT_PACKAGES = ["curl", "ca-certificates", "git", "gcc", "libpq-dev", "tini", "gosu", "make", "wget", "xz-utils"]
APK_PACKAGES = ["curl", "ca-certificates", "git", "build-base", "tini", "su-exec", "bash", "libffi-dev"]


def pick(rng, items, n):
    return " ".join(rng.sample(items, n))


def apt_block(rng, style):
    pkgs = pick(rng, APT_PACKAGES, rng.randint(1, 4))
    if style == "clean":
        return (
            "RUN set -eux; \\\n"
            "    apt-get update; \\\n"
            f"    apt-get install -y --no-install-recommends {pkgs}; \\\n"
            "    rm -rf /var/lib/apt/lists/*\n"
        )
    if style == "chained":
        return (
            "RUN apt-get update && apt-get install -y --no-install-recommends \\\n"
            f"        {pkgs} \\\n"
            " && rm -rf /var/lib/apt/lists/*\n"
        )
    if style == "no-clean":
        return f"RUN apt-get update && apt-get install -y {pkgs}\n"
    if style == "split":
        return f"RUN apt-get update\nRUN apt-get install -y --no-install-recommends {pkgs} && rm -rf /var/lib/apt/lists/*\n"
    if style == "apt":
        return f"RUN apt update && apt install -y {pkgs} && rm -rf /var/lib/apt/lists/*\n"
    if style == "cache-mount":
        return (
            "RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n"
            "    --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n"
            f"    apt-get update && apt-get install -y --no-install-recommends {pkgs}\n"
        )
    if style == "dist-clean":
        return f"RUN apt-get update && apt-get install -y --no-install-recommends {pkgs} && apt-get dist-clean\n"
    if style == "options":
        return (
            "RUN apt-get update \\\n"
            f"    && apt-get -o Dpkg::Options::=--force-confnew install -y --no-install-recommends {pkgs} \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n"
        )
    raise ValueError(style)


def apk_block(rng, style):
    pkgs = pick(rng, APK_PACKAGES, rng.randint(1, 3))
    if style == "clean":
        return f"RUN apk add --no-cache {pkgs}\n"
    if style == "no-cache-missing":
        return f"RUN apk add {pkgs}\n"
    if style == "update":
        return f"RUN apk update && apk add {pkgs} && rm -rf /var/cache/apk/*\n"
    if style == "virtual":
        return (
            f"RUN apk add --no-cache --virtual .build-deps {pkgs} \\\n"
            "    && make install \\\n"
            "    && apk del .build-deps\n"
        )
    if style == "mixed":
        return f"RUN apk add {pkgs} && pip install --no-cache-dir wheel\n"
    raise ValueError(style)


def user_block(rng, distro, style):
    if style == "none":
        return ""
    if style == "root":
        return "USER root\n"
    if style == "numeric":
        return "USER 10001:10001\n"
    if distro == "alpine":
        return "RUN addgroup -S app && adduser -S app -G app\nUSER app\n"
    return "RUN groupadd --system app && useradd --system --gid app --no-create-home app\nUSER app\n"


def cmd_line(rng, argv, style):
    if style == "json":
        return "CMD [" + ", ".join(f'"{a}"' for a in argv) + "]\n"
    if style == "shell":
        return "CMD " + " ".join(argv) + "\n"
    if style == "quotes":
        return "CMD [" + ", ".join(f"'{a}'" for a in argv) + "]\n"
    if style == "entry":
        return f'ENTRYPOINT ["{argv[0]}"]\nCMD [' + ", ".join(f'"{a}"' for a in argv[1:]) + "]\n"
    if style == "twice":
        return "CMD [\"sh\"]\n" + "CMD [" + ", ".join(f'"{a}"' for a in argv) + "]\n"
    raise ValueError(style)


def header(kind, knobs):
    return f"# Corpus généré : {kind} ({', '.join(f'{k}={v}' for k, v in knobs.items())})\n"


def python_file(rng, i):
    base = rng.choice(["python:3.12-slim", "python:3.11-slim-bookworm", "python:3.13-alpine", "python", "python:latest", "${PY_IMAGE}"])
    distro = "alpine" if "alpine" in base else "debian"
    knobs = {
        "base": base,
        "pip": rng.choice(["no-cache", "cache", "mount", "env"]),
        "order": rng.choice(["deps-first", "sources-first"]),
        "user": rng.choice(["app", "none", "root", "numeric"]),
        "cmd": rng.choice(["json", "shell", "quotes", "entry"]),
        "multi": rng.choice([True, False]),
        "workdir": rng.choice(["/app", "app", "/srv/app"]),
    }
    out = header("Python", knobs)
    if base.startswith("$"):
        out += "ARG PY_VERSION=3.12\nARG PY_IMAGE=python:${PY_VERSION}-slim\n"
    pip = {
        "no-cache": "RUN pip install --no-cache-dir -r requirements.txt\n",
        "cache": "RUN pip install -r requirements.txt\n",
        "mount": "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n",
        "env": "RUN pip install -r requirements.txt\n",
    }[knobs["pip"]]
    if knobs["multi"]:
        out += f"FROM {base} AS builder\n"
        out += "ENV PIP_NO_CACHE_DIR=1\n" if knobs["pip"] == "env" else ""
        out += "WORKDIR /build\nCOPY requirements.txt .\n"
        out += pip.replace("-r requirements.txt", "--prefix=/install -r requirements.txt")
        out += f"\nFROM {base}\n"
        out += "ENV PYTHONDONTWRITEBYTECODE=1 \\\n    PYTHONUNBUFFERED=1\n"
        out += f"WORKDIR {knobs['workdir']}\n"
        out += "COPY --from=builder /install /usr/local\n"
        out += "COPY . .\n"
    else:
        out += f"FROM {base}\n"
        out += "ENV PIP_NO_CACHE_DIR=1\n" if knobs["pip"] == "env" else ""
        if distro == "debian" and rng.random() < 0.4:
            out += apt_block(rng, rng.choice(["clean", "no-clean", "chained"]))
        if distro == "alpine" and rng.random() < 0.5:
            out += apk_block(rng, rng.choice(["clean", "mixed", "no-cache-missing"]))
        out += f"WORKDIR {knobs['workdir']}\n"
        if knobs["order"] == "deps-first":
            out += "COPY requirements.txt .\n" + pip + "COPY . .\n"
        else:
            out += "COPY . .\n" + pip
    out += "EXPOSE 8000\n"
    out += user_block(rng, distro, knobs["user"])
    out += cmd_line(rng, ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"], knobs["cmd"])
    return out


def node_file(rng, i):
    base = rng.choice(["node:20-alpine", "node:22-bookworm-slim", "node:lts", "node", "node:20"])
    knobs = {
        "base": base,
        "install": rng.choice(["ci", "install", "yarn", "bind-mount"]),
        "final": rng.choice(["same", "nginx", "distroless"]),
        "user": rng.choice(["node", "none"]),
        "cmd": rng.choice(["json", "shell", "entry", "twice"]),
        "healthcheck": rng.choice([True, False]),
    }
    out = header("Node", knobs)
    if knobs["install"] == "bind-mount" and rng.random() < 0.5:
        out = "# syntax=docker/dockerfile:1\n" + out
    name = "build" if knobs["final"] != "same" else "base"
    out += f"FROM {base} AS {name}\n"
    out += "WORKDIR /usr/src/app\n"
    if knobs["install"] == "ci":
        out += "COPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n"
    elif knobs["install"] == "install":
        out += "COPY . .\nRUN npm install\n"
    elif knobs["install"] == "yarn":
        out += "COPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\nCOPY . .\n"
    else:
        out += (
            "RUN --mount=type=bind,source=package.json,target=package.json \\\n"
            "    --mount=type=bind,source=package-lock.json,target=package-lock.json \\\n"
            "    --mount=type=cache,target=/root/.npm \\\n"
            "    npm ci --omit=dev\n"
            "COPY . .\n"
        )
    if knobs["final"] == "nginx":
        out += "RUN npm run build\n\nFROM nginx:1.27-alpine\n"
        out += "COPY --from=build /usr/src/app/dist /usr/share/nginx/html\nEXPOSE 80\n"
        if knobs["healthcheck"]:
            out += "HEALTHCHECK --interval=30s CMD wget -qO- http://localhost/ || exit 1\n"
        out += cmd_line(rng, ["nginx", "-g", "daemon off;"], "json" if knobs["cmd"] != "shell" else "shell")
        return out
    if knobs["final"] == "distroless":
        out += "RUN npm run build\n\nFROM gcr.io/distroless/nodejs20-debian12\n"
        out += "COPY --from=build /usr/src/app /app\nWORKDIR /app\nUSER nonroot\n"
        out += 'CMD ["dist/server.js"]\n'
        return out
    out += "ENV NODE_ENV production\n" if rng.random() < 0.3 else "ENV NODE_ENV=production\n"
    out += "EXPOSE 3000\n"
    if knobs["healthcheck"]:
        out += "HEALTHCHECK CMD node healthcheck.js\n"
    out += "USER node\n" if knobs["user"] == "node" else ""
    out += cmd_line(rng, ["node", "server.js"], knobs["cmd"])
    return out


def go_file(rng, i):
    ver = rng.choice(["1.22", "1.23-alpine", "1.22-bookworm", ""])
    base = "golang" + (f":{ver}" if ver else "")
    knobs = {
        "base": base,
        "platform": rng.choice(["buildplatform", "none", "const"]),
        "mounts": rng.choice(["cache", "none", "split"]),
        "final": rng.choice(["scratch", "distroless", "alpine:3.20", "alpine"]),
        "user": rng.choice(["nonroot", "none", "numeric"]),
        "stage_name": rng.choice(["build", "Build", "builder"]),
        "as_case": rng.choice(["AS", "as"]),
    }
    out = header("Go", knobs)
    platform = {"buildplatform": "--platform=$BUILDPLATFORM ", "none": "", "const": "--platform=linux/amd64 "}[knobs["platform"]]
    out += f"FROM {platform}{base} {knobs['as_case']} {knobs['stage_name']}\n"
    if knobs["platform"] == "buildplatform":
        out += "ARG TARGETOS\nARG TARGETARCH\n"
    out += "WORKDIR /src\n"
    if knobs["mounts"] == "cache":
        out += (
            "RUN --mount=type=cache,target=/go/pkg/mod \\\n"
            "    --mount=type=bind,source=go.sum,target=go.sum \\\n"
            "    --mount=type=bind,source=go.mod,target=go.mod \\\n"
            "    go mod download -x\n"
            "RUN --mount=type=cache,target=/go/pkg/mod \\\n"
            "    --mount=type=bind,target=. \\\n"
            "    CGO_ENABLED=0 go build -o /bin/server ./cmd/server\n"
        )
    elif knobs["mounts"] == "split":
        out += "COPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /bin/server .\n"
    else:
        out += "COPY . .\nRUN go mod download\nRUN go build -o /bin/server .\n"
    stage = knobs["stage_name"].lower()
    final = knobs["final"]
    if final == "distroless":
        final = "gcr.io/distroless/static-debian12"
    out += f"\nFROM {final}\n"
    if final.startswith("alpine"):
        out += apk_block(rng, rng.choice(["clean", "no-cache-missing", "update"]))
    out += f"COPY --from={stage} /bin/server /server\n"
    out += "EXPOSE 8080\n"
    out += {"nonroot": "USER nonroot:nonroot\n", "none": "", "numeric": "USER 65532\n"}[knobs["user"]]
    out += 'ENTRYPOINT ["/server"]\n' if rng.random() < 0.7 else "ENTRYPOINT /server\n"
    return out


def java_file(rng, i):
    knobs = {
        "tool": rng.choice(["maven", "gradle"]),
        "final": rng.choice(["eclipse-temurin:21-jre", "eclipse-temurin:21-jre-alpine", "openjdk"]),
        "user": rng.choice(["app", "none"]),
        "cache": rng.choice([True, False]),
        "expose": rng.choice(["8080", "8443", "8080/TCP"]),
    }
    out = header("Java", knobs)
    if knobs["tool"] == "maven":
        out += "FROM maven:3.9-eclipse-temurin-21 AS build\nWORKDIR /workspace\nCOPY pom.xml .\n"
        if knobs["cache"]:
            out += "RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:go-offline\nCOPY src ./src\nRUN --mount=type=cache,target=/root/.m2 mvn -B package -DskipTests\n"
        else:
            out += "RUN mvn -B dependency:go-offline\nCOPY src ./src\nRUN mvn -B package -DskipTests\n"
        artifact = "/workspace/target/*.jar"
    else:
        out += "FROM gradle:8.10-jdk21 AS build\nWORKDIR /home/gradle/project\nCOPY build.gradle settings.gradle ./\nCOPY src ./src\nRUN gradle bootJar --no-daemon\n"
        artifact = "/home/gradle/project/build/libs/*.jar"
    out += f"\nFROM {knobs['final']}\nWORKDIR /opt/app\n"
    if knobs["user"] == "app":
        if "alpine" in knobs["final"]:
            out += "RUN addgroup -S spring && adduser -S spring -G spring\nUSER spring:spring\n"
        else:
            out += "RUN useradd --system --uid 1001 spring\nUSER 1001\n"
    out += f"COPY --from=build {artifact} app.jar\n"
    out += f"EXPOSE {knobs['expose']}\n"
    out += 'ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]\n'
    return out


def dotnet_file(rng, i):
    knobs = {
        "version": rng.choice(["8.0", "9.0"]),
        "user": rng.choice(["app_uid", "none", "app"]),
        "restore": rng.choice(["csproj-first", "all"]),
        "platform": rng.choice([True, False]),
    }
    v = knobs["version"]
    out = header(".NET", knobs)
    platform = "--platform=$BUILDPLATFORM " if knobs["platform"] else ""
    out += f"FROM {platform}mcr.microsoft.com/dotnet/sdk:{v} AS build\nARG TARGETARCH\nWORKDIR /source\n"
    if knobs["restore"] == "csproj-first":
        out += "COPY *.csproj .\nRUN dotnet restore -a $TARGETARCH\nCOPY . .\n"
    else:
        out += "COPY . .\nRUN dotnet restore\n"
    out += "RUN dotnet publish -c Release -o /app --no-restore\n"
    out += f"\nFROM mcr.microsoft.com/dotnet/aspnet:{v}\nWORKDIR /app\nEXPOSE 8080\nCOPY --from=build /app .\n"
    out += {"app_uid": "USER $APP_UID\n", "none": "", "app": "USER app\n"}[knobs["user"]]
    out += 'ENTRYPOINT ["dotnet", "WebApp.dll"]\n'
    return out


def debian_service_file(rng, i):
    base = rng.choice(["debian:bookworm-slim", "ubuntu:24.04", "ubuntu:22.04", "debian:12", "ubuntu", "debian:trixie-slim"])
    styles = ["clean", "chained", "no-clean", "split", "apt", "cache-mount", "options"]
    if "trixie" in base:
        styles.append("dist-clean")
    knobs = {
        "base": base,
        "apt": rng.choice(styles),
        "download": rng.choice(["pipe", "pipefail", "set-pipefail", "file"]),
        "cd": rng.choice([True, False]),
        "user": rng.choice(["app", "none", "root"]),
        "maintainer": rng.choice([True, False]),
        "workdir": rng.choice(["/opt/tool", "tool"]),
    }
    out = header("service Debian/Ubuntu", knobs)
    out += f"FROM {base}\n"
    if knobs["maintainer"]:
        out += "MAINTAINER Équipe cours <cours@example.com>\n"
    else:
        out += 'LABEL org.opencontainers.image.authors="cours@example.com"\n'
    out += "ENV DEBIAN_FRONTEND=noninteractive\n" if rng.random() < 0.5 else ""
    out += apt_block(rng, knobs["apt"])
    url = "https://example.com/tool-1.4.2-linux-amd64.tar.gz"
    if knobs["download"] == "pipe":
        out += f"RUN curl -fsSL {url} | tar -xz -C /usr/local/bin\n"
    elif knobs["download"] == "pipefail":
        out += 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
        out += f"RUN curl -fsSL {url} | tar -xz -C /usr/local/bin\n"
    elif knobs["download"] == "set-pipefail":
        out += f"RUN set -o pipefail && curl -fsSL {url} | tar -xz -C /usr/local/bin\n"
    else:
        out += f"ADD {url} /tmp/tool.tar.gz\nRUN tar -xzf /tmp/tool.tar.gz -C /usr/local/bin && rm /tmp/tool.tar.gz\n"
    out += f"WORKDIR {knobs['workdir']}\n"
    if knobs["cd"]:
        out += "RUN cd /opt/tool && ./configure && make\n"
    out += "COPY config.yaml /etc/tool/config.yaml\n" if rng.random() < 0.5 else "ADD config.yaml /etc/tool/config.yaml\n"
    out += user_block(rng, "debian", knobs["user"])
    out += "EXPOSE 9000\n"
    out += cmd_line(rng, ["tool", "serve", "--config", "/etc/tool/config.yaml"], rng.choice(["json", "shell"]))
    return out


def alpine_file(rng, i):
    base = rng.choice(["alpine:3.20", "alpine:3.19", "alpine", "alpine:latest", "busybox:1.36"])
    knobs = {
        "base": base,
        "apk": rng.choice(["clean", "no-cache-missing", "update", "virtual", "mixed"]),
        "user": rng.choice(["app", "none"]),
        "secret": rng.choice(["none", "arg", "env", "mount", "copy-env"]),
        "env_form": rng.choice(["modern", "legacy"]),
    }
    out = header("Alpine", knobs)
    out += f"FROM {base}\n"
    if knobs["secret"] == "arg":
        out += "ARG GITHUB_TOKEN\n"
    if knobs["secret"] == "env":
        out += "ENV API_KEY=changeme\n"
    out += "ENV APP_HOME /srv/app\n" if knobs["env_form"] == "legacy" else "ENV APP_HOME=/srv/app\n"
    out += apk_block(rng, knobs["apk"]) if "busybox" not in base else ""
    out += "WORKDIR $APP_HOME\n"
    if knobs["secret"] == "mount":
        out += "RUN --mount=type=secret,id=github_token \\\n    GITHUB_TOKEN=\"$(cat /run/secrets/github_token)\" ./fetch-private-deps.sh\n"
    if knobs["secret"] == "copy-env":
        out += "COPY .env ./\n"
    out += "COPY bin/ ./bin/\n"
    out += user_block(rng, "alpine", knobs["user"])
    out += 'ENTRYPOINT ["/sbin/tini", "--"]\nCMD ["./bin/app"]\n' if rng.random() < 0.5 else 'CMD ["./bin/app"]\n'
    return out


def rust_file(rng, i):
    knobs = {
        "final": rng.choice(["debian:bookworm-slim", "gcr.io/distroless/cc-debian12", "scratch"]),
        "cache": rng.choice([True, False]),
        "user": rng.choice(["nonroot", "none"]),
    }
    out = header("Rust", knobs)
    out += "ARG RUST_VERSION=1.80\nFROM rust:${RUST_VERSION}-slim AS build\nWORKDIR /app\n"
    if knobs["cache"]:
        out += (
            "RUN --mount=type=bind,source=src,target=src \\\n"
            "    --mount=type=bind,source=Cargo.toml,target=Cargo.toml \\\n"
            "    --mount=type=bind,source=Cargo.lock,target=Cargo.lock \\\n"
            "    --mount=type=cache,target=/app/target/ \\\n"
            "    --mount=type=cache,target=/usr/local/cargo/registry/ \\\n"
            "    cargo build --locked --release && cp ./target/release/server /bin/server\n"
        )
    else:
        out += "COPY Cargo.toml Cargo.lock ./\nRUN cargo fetch\nCOPY . .\nRUN cargo build --release && cp target/release/server /bin/server\n"
    out += f"\nFROM {knobs['final']}\n"
    if knobs["final"].startswith("debian"):
        out += apt_block(rng, rng.choice(["clean", "no-clean"]))
    out += "COPY --from=build /bin/server /bin/\n"
    out += "USER 65532:65532\n" if knobs["user"] == "nonroot" else ""
    out += 'CMD ["/bin/server"]\n'
    return out


def php_ruby_file(rng, i):
    kind = rng.choice(["php", "ruby"])
    knobs = {"kind": kind, "user": rng.choice(["www-data", "none"]), "casing": rng.choice(["upper", "mixed"])}
    out = header("PHP/Ruby", knobs)
    if kind == "php":
        out += "FROM php:8.3-apache\n"
        out += "RUN docker-php-ext-install pdo_mysql\n"
        out += "run a2enmod rewrite\n" if knobs["casing"] == "mixed" else "RUN a2enmod rewrite\n"
        out += "COPY composer.json composer.lock ./\nRUN composer install --no-dev\nCOPY . /var/www/html/\n"
        out += "USER www-data\n" if knobs["user"] == "www-data" else ""
        out += "EXPOSE 80\n"
    else:
        out += "FROM ruby:3.3-slim\nWORKDIR /app\n"
        out += apt_block(rng, rng.choice(["clean", "chained"]))
        out += "COPY Gemfile Gemfile.lock ./\nRUN bundle install\nCOPY . .\n"
        out += "Expose 3000\n" if knobs["casing"] == "mixed" else "EXPOSE 3000\n"
        out += "USER nobody\n" if knobs["user"] == "www-data" else ""
        out += 'CMD ["bundle", "exec", "puma"]\n'
    return out


FAMILIES = [
    ("python", python_file, 24),
    ("node", node_file, 22),
    ("go", go_file, 18),
    ("java", java_file, 10),
    ("dotnet", dotnet_file, 8),
    ("debian", debian_service_file, 22),
    ("alpine", alpine_file, 16),
    ("rust", rust_file, 6),
    ("phpruby", php_ruby_file, 6),
]


def main():
    for old in HERE.glob("gen-*.Dockerfile"):
        old.unlink()
    rng = random.Random(20261201)
    count = 0
    for name, make, n in FAMILIES:
        for i in range(n):
            text = make(rng, i)
            (HERE / f"gen-{name}-{i + 1:02}.Dockerfile").write_text(text, encoding="utf-8")
            count += 1
    print(f"{count} fichiers écrits dans {HERE}")


if __name__ == "__main__":
    main()
