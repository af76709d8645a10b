# Corpus généré : Java (tool=gradle, final=eclipse-temurin:21-jre, user=none, cache=True, expose=8443)
FROM gradle:8.10-jdk21 AS build
WORKDIR /home/gradle/project
COPY build.gradle settings.gradle ./
COPY src ./src
RUN gradle bootJar --no-daemon

FROM eclipse-temurin:21-jre
WORKDIR /opt/app
COPY --from=build /home/gradle/project/build/libs/*.jar app.jar
EXPOSE 8443
ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]
