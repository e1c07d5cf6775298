// Vite's `?worker` imports (a Worker constructor) and style side-effect imports.
declare module '*?worker' {
  const WorkerConstructor: { new (): Worker };
  export default WorkerConstructor;
}
declare module '*.css';
