require('dotenv').config({ quiet: true });
const app = require('./src/app');

const PORT = Number(process.env.PORT || 3002);
const server = app.listen(PORT, () => console.log(`booking-service écoute sur le port ${PORT}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
