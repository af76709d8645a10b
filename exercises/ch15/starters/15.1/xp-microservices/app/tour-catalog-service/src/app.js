const express = require('express');
const tourController = require('./controllers/tourController');

const app = express();
app.use(express.json());

app.get('/health', (req, res) => res.json({ status: 'ok', service: 'tour-catalog' }));
app.get('/api/v1/tours-catalog/tours', tourController.listTours);
app.get('/api/v1/tours-catalog/tours/:id', tourController.getTour);

module.exports = app;
