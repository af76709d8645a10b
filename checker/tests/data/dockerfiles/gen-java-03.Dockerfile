# Corpus généré : Java (tool=maven, final=eclipse-temurin:21-jre, user=app, cache=True, expose=8080/TCP)
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /workspace
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:go-offline
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B package -DskipTests

FROM eclipse-temurin:21-jre
WORKDIR /opt/app
RUN useradd --system --uid 1001 spring
USER 1001
COPY --from=build /workspace/target/*.jar app.jar
EXPOSE 8080/TCP
ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]
