const express = require('express');
const payments = require('./routes/payments');

const app = express();
app.use(express.json());

app.get('/health', (req, res) => res.json({ status: 'ok', service: 'payment-gateway' }));
app.use('/api/v1/payments', payments);

module.exports = app;
