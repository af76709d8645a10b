FROM nginx:1.27-alpine
EXPOSE 8080:80
EXPOSE 127.0.0.1:8443:443
USER nginx
CMD ["nginx", "-g", "daemon off;"]
