FROM nginx:1.27-alpine
EXPOSE 80
EXPOSE 53/UDP
EXPOSE 70000
EXPOSE 9000-9010/tcp
USER nginx
CMD ["nginx", "-g", "daemon off;"]
