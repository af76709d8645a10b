const crypto = require('node:crypto');
const express = require('express');
const Stripe = require('stripe');

const router = express.Router();
const key = process.env.STRIPE_SECRET_KEY || '';
// Sans vraie clé de test Stripe, le service reste utilisable en mode simulation
const stripe = key.startsWith('sk_') && !key.includes('your_key') ? new Stripe(key) : null;

router.post('/create-session', async (req, res) => {
  const { bookingId, amount, currency = 'eur' } = req.body || {};
  if (!bookingId || !Number.isInteger(amount) || amount <= 0) {
    return res.status(400).json({ error: 'bookingId et amount (entier, en centimes) sont obligatoires' });
  }
  if (!stripe) {
    return res.status(201).json({
      mode: 'simulation', sessionId: `cs_sim_${crypto.randomUUID()}`, bookingId, amount, currency,
    });
  }
  const session = await stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [{
      quantity: 1,
      price_data: { currency, unit_amount: amount, product_data: { name: `Réservation ${bookingId}` } },
    }],
    success_url: 'http://localhost:3004/paiement/reussi',
    cancel_url: 'http://localhost:3004/paiement/annule',
    metadata: { bookingId },
  });
  res.status(201).json({ mode: 'stripe', sessionId: session.id, url: session.url });
});

module.exports = router;
