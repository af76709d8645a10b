// En développement, lit le fichier .env s'il existe ; dans le conteneur,
// les variables viennent de docker run (--env ou --env-file).
require('dotenv').config({ quiet: true });
const app = require('./src/app');

const PORT = Number(process.env.PORT || 3004);
const server = app.listen(PORT, () => {
  console.log(`payment-gateway écoute sur le port ${PORT} (NODE_ENV=${process.env.NODE_ENV})`);
});

// docker stop envoie SIGTERM (relayé par dumb-init) : on termine les requêtes en cours puis on sort
process.on('SIGTERM', () => {
  console.log('SIGTERM reçu, arrêt propre');
  server.close(() => process.exit(0));
});
