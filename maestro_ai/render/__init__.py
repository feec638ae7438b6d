"""From the performance to audio: synthesis per part, effects chains, mixing."""
