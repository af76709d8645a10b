FROM alpine:3.20
RUN apk add --no-cache a && echo b && echo c
RUN echo d
RUN echo e
RUN --network=none echo f
RUN echo g && echo h
