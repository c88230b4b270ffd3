/**
 * The OGC API – Features entry points: the landing page (GET /api) and the conformance
 * declaration. Links are absolute, built from the request's own host.
 */
import { OPENAPI_MEDIA_TYPE } from '../../http/openapi.js';
import type { Link } from './collections.service.js';

/** The conformance classes this API implements (Part 1: Core, GeoJSON, OpenAPI 3.0). */
export const CONFORMS_TO = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
] as const;

export function landingPage(baseUrl: string, title: string) {
  const api = `${baseUrl}/api`;
  const links: Link[] = [
    { href: api, rel: 'self', type: 'application/json', title: 'this document' },
    { href: `${api}/openapi.json`, rel: 'service-desc', type: OPENAPI_MEDIA_TYPE, title: 'the API definition' },
    { href: `${api}/docs`, rel: 'service-doc', type: 'text/html', title: 'the API documentation' },
    { href: `${api}/conformance`, rel: 'conformance', type: 'application/json', title: 'conformance classes' },
    { href: `${api}/collections`, rel: 'data', type: 'application/json', title: 'feature collections' },
  ];
  return {
    title,
    description:
      'Rest stations for outdoor workers and the areas they serve, as OGC API – Features (GeoJSON, WGS-84 longitude/latitude).',
    links,
  };
}

export const conformance = () => ({ conformsTo: [...CONFORMS_TO] });
