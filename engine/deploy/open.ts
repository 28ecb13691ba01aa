/**
 * Opening an engine with versioned deploys: the engine, then every stored
 * package and route, then recovery — in that order, so replayed workflows
 * find their versioned code.
 */
import { Engine, type EngineOptions } from "../engine.ts";
import { type AttachOptions, Deployments } from "./deployments.ts";

/** `Engine.open` options plus the deploy layer's. */
export interface OpenDeployedOptions extends EngineOptions, AttachOptions {}

/** An engine and its deploy layer. */
export interface DeployedEngine {
  readonly engine: Engine;
  readonly deployments: Deployments;
}

/** Opens an engine, attaches deploys, then recovers (unless `recover: false`). */
export async function openDeployed(options: OpenDeployedOptions = {}): Promise<DeployedEngine> {
  const engine = await Engine.open({ ...options, recover: false });
  try {
    const deployments = await Deployments.attach(engine, options);
    if (options.recover ?? true) await engine.recover();
    return { engine, deployments };
  } catch (e) {
    await engine.shutdown();
    throw e;
  }
}
