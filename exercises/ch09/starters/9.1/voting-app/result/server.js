const express = require('express');
const { Pool } = require('pg');
const path = require('path');

const app = express();
const port = process.env.PORT || 5001;

// Connexion à PostgreSQL, paramétrée par les variables d'environnement
const pool = new Pool({
  host: process.env.POSTGRES_HOST || 'db',
  user: process.env.POSTGRES_USER || 'postgres',
  password: process.env.POSTGRES_PASSWORD || 'postgres',
  database: process.env.POSTGRES_DB || 'postgres',
  // Abandonne une tentative de connexion au bout de 5 s
  connectionTimeoutMillis: 5000,
});

// Sans ce gestionnaire, une connexion inactive qui casse ferait planter Node
pool.on('error', (err) => {
  console.error('Erreur sur une connexion inactive du pool :', err);
});

app.set('view engine', 'ejs');
app.set('views', path.join(__dirname, 'views'));

app.get('/', async (req, res) => {
  let results = { cats: 0, dogs: 0 };
  let error = null;
  let client;

  try {
    console.log('Demande d\'une connexion au pool PostgreSQL...');
    client = await pool.connect();
    const dbResult = await client.query('SELECT id, votes FROM votes');
    console.log('Résultats de la requête :', dbResult.rows);
    dbResult.rows.forEach(row => {
      results[row.id] = parseInt(row.votes, 10);
    });
  } catch (err) {
    console.error('Erreur pendant la lecture des votes :', err);
    error = `Erreur de connexion à la base de données : ${err.message}`;
  } finally {
    if (client) {
      client.release(); // rend la connexion au pool
    }
  }
  res.render('index', { results, error });
});

app.listen(port, () => {
  console.log(`Serveur de résultats démarré sur le port ${port}`);
});
