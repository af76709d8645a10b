import { createServer } from "node:http";

const port = Number(process.env.PORT ?? 3000);

const server = createServer((req, res) => {
  const body = {
    message: "Bonjour depuis une image multi-étapes !",
    node: process.version,
    chemin: req.url,
  };
  res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body) + "\n");
});

server.listen(port, () => {
  console.log(`API à l'écoute sur le port ${port}`);
});

process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
});
