# Corpus généré : Java (tool=gradle, final=openjdk, user=app, cache=True, expose=8080/TCP)
FROM gradle:8.10-jdk21 AS build
WORKDIR /home/gradle/project
COPY build.gradle settings.gradle ./
COPY src ./src
RUN gradle bootJar --no-daemon

FROM openjdk
WORKDIR /opt/app
RUN useradd --system --uid 1001 spring
USER 1001
COPY --from=build /home/gradle/project/build/libs/*.jar app.jar
EXPOSE 8080/TCP
ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]
