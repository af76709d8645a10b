const tours = [
  { id: '550e8400-e29b-41d4-a716-446655440000', title: 'Les calanques de Marseille en kayak', priceCents: 14950, seats: 12 },
  { id: '6fa459ea-ee8a-3ca4-894e-db77e160355e', title: 'Le Mont-Saint-Michel à marée basse', priceCents: 8900, seats: 20 },
];

exports.listTours = (req, res) => res.json(tours);

exports.getTour = (req, res) => {
  const tour = tours.find((t) => t.id === req.params.id);
  if (!tour) return res.status(404).json({ error: 'circuit introuvable' });
  res.json(tour);
};
