// The bench's baseline: a bare Express 5 JSON endpoint (express.json() and a constant answer), nothing else.
import express from 'express';

const app = express();
app.post('/api/v1/track/visit', express.json(), (_req, res) => {
  res.json({ success: true });
});
// Express 5 hands a listen error (e.g. EADDRINUSE) to this callback instead of throwing it.
app.listen(Number(process.env.PORT), (error?: Error) => {
  if (error) throw error;
  process.stdout.write('listening\n');
});
