"""The public door: the public catalogue and form, the status page behind an unguessable link, the promise
kept in public, and the limits that hold back floods."""
