FROM alpine:3.20
RUN echo C:\\
USER nobody
CMD ["sh"]
