const express = require('express');
const bookings = require('./routes/bookings');

const app = express();
app.use(express.json());

app.get('/health', (req, res) => res.json({ status: 'ok', service: 'booking-service' }));
app.use('/api/v1/booking-management/bookings', bookings);

module.exports = app;
