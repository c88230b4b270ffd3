/**
 * Turns a route's edge list into the steps a person reads ("Carrer Major, 240 m, 3 min"):
 * consecutive edges on the same street collapse into one step. Unnamed pieces (footpaths, service
 * roads) collapse the same way, keyed by their road class, so a step never mixes "a footway" with
 * "a service road".
 */
import type { RoadGraph } from './road-graph.js';
import type { Route } from './search.js';

export interface RouteStep {
  /** Street name or ref; `null` for an unnamed way (see `highway`). */
  name: string | null;
  /** OSM highway class of the step's first edge, for labelling unnamed steps. */
  highway: string;
  distanceM: number;
  durationS: number;
  /** Index range into `route.edges` covered by this step, end exclusive. */
  edgeStart: number;
  edgeEnd: number;
}

export function routeSteps(graph: RoadGraph, route: Route): RouteStep[] {
  const steps: RouteStep[] = [];
  route.edges.forEach((edge, index) => {
    const name = graph.edgeName(edge.edgeId);
    const highway = graph.edgeHighway(edge.edgeId);
    const last = steps[steps.length - 1];
    const sameStreet =
      last && (name === null ? last.name === null && last.highway === highway : last.name === name);
    if (sameStreet) {
      last.distanceM += edge.distanceM;
      last.durationS += edge.durationS;
      last.edgeEnd = index + 1;
    } else {
      steps.push({
        name,
        highway,
        distanceM: edge.distanceM,
        durationS: edge.durationS,
        edgeStart: index,
        edgeEnd: index + 1,
      });
    }
  });
  return steps;
}
