require('dotenv').config({ quiet: true });
const app = require('./src/app');

const PORT = Number(process.env.PORT || 3001);
const server = app.listen(PORT, () => console.log(`tour-catalog écoute sur le port ${PORT}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
