/**
 * Liveness of a WebSocket peer. A peer whose process hangs or whose host vanishes leaves a
 * half-open TCP connection that looks healthy until a write times out minutes later; so each
 * side pings every `intervalMs` and gives up on a peer that let a whole interval pass without
 * a pong or any other message (detection within one to two intervals).
 */
import type { WebSocket } from 'ws';

/** Default ping interval: a dead peer is noticed within 2–4 s. */
export const DEFAULT_PING_INTERVAL_MS = 2000;

/**
 * Starts pinging `socket`; calls `onUnresponsive` once when the peer stopped answering (the
 * caller terminates the socket). Returns a function that stops the pings. The timer does not
 * keep the process alive by itself.
 */
export function keepAlive(socket: WebSocket, intervalMs: number, onUnresponsive: () => void): () => void {
  let heard = true;
  const mark = (): void => {
    heard = true;
  };
  socket.on('pong', mark);
  socket.on('message', mark);
  const timer = setInterval(() => {
    if (!heard) {
      stop();
      onUnresponsive();
      return;
    }
    heard = false;
    try {
      socket.ping();
    } catch {
      // The socket is closing; its close event does the cleanup.
    }
  }, intervalMs);
  timer.unref();
  function stop(): void {
    clearInterval(timer);
    socket.off('pong', mark);
    socket.off('message', mark);
  }
  return stop;
}
