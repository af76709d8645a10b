FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y git && apt-get clean
RUN apt update && apt install -y make && rm -rf /var/lib/apt/lists/*
RUN apt-get install -y -o APT::Install-Recommends=false vim
RUN DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -qq -y --no-install-recommends tzdata && rm -rf /var/lib/apt/lists/*
USER ubuntu
CMD ["bash"]
