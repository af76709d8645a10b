FROM node
ADD . /app
WORKDIR app
RUN npm install
RUN npm run build
EXPOSE 3004
CMD npm start
