const crypto = require('node:crypto');
const express = require('express');

const router = express.Router();
const bookings = new Map(); // en mémoire : perdu à chaque redémarrage (pas de base ici)

router.post('/', (req, res) => {
  const { tourId, userId, startDate, numberOfSeats } = req.body || {};
  if (!tourId || !userId || !startDate || !Number.isInteger(numberOfSeats) || numberOfSeats < 1) {
    return res.status(400).json({ error: 'tourId, userId, startDate et numberOfSeats sont obligatoires' });
  }
  const booking = { id: crypto.randomUUID(), tourId, userId, startDate, numberOfSeats, status: 'pending' };
  bookings.set(booking.id, booking);
  res.status(201).json(booking);
});

router.get('/:id', (req, res) => {
  const booking = bookings.get(req.params.id);
  if (!booking) return res.status(404).json({ error: 'réservation introuvable' });
  res.json(booking);
});

module.exports = router;
