import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  insertStations,
  type NewStation,
} from "../../server/modules/stations/stations.repository.js";
import { newStation } from "../setup/factories.js";
import { startTestServer, type TestServer } from "../setup/server.js";

let server: TestServer;

/** A point `north` / `east` metres from `[lng, lat]` (local flat approximation, good to <0.5%). */
function offset(
  [lng, lat]: [number, number],
  north: number,
  east: number,
): { lng: number; lat: number } {
  return {
    lng: lng + east / (111_320 * Math.cos((lat * Math.PI) / 180)),
    lat: lat + north / 110_950,
  };
}

const DAYTIME = "Mo-Su 08:00-18:00";
// Three separate neighbourhoods, far enough apart (> 20 km) that their searches never meet.
const CENTRE: [number, number] = [116.4, 39.9];
const CLOSING: [number, number] = [116.2, 40.12];
const CROWD: [number, number] = [116.7, 39.85];

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.handle.db;
  await newStation(db, {
    ...offset(CENTRE, 150, 0),
    name: "近·全天",
    amenities: { hot_water: "available", microwave: "available" },
  });
  await newStation(db, {
    ...offset(CENTRE, 0, 400),
    name: "中·白天",
    kind: "rider_home",
    opening_hours: DAYTIME,
    amenities: { microwave: "available", phone_charging: "available" },
  });
  await newStation(db, {
    ...offset(CENTRE, -900, 0),
    name: "远·智慧",
    kind: "smart_24h",
    amenities: { phone_charging: "available", microwave: "out_of_order" },
  });
  await newStation(db, {
    ...offset(CENTRE, 0, -2000),
    name: "更远·白天",
    opening_hours: DAYTIME,
  });
  await newStation(db, { ...offset(CENTRE, -12_000, 0), name: "十二公里" });

  // 1100 m straight ≈ 1430 m of streets ≈ 19 min on foot at 4.5 km/h.
  await newStation(db, {
    ...offset(CLOSING, 1100, 0),
    name: "六点关门",
    opening_hours: DAYTIME,
  });
  await newStation(db, {
    ...offset(CLOSING, -300, 0),
    name: "时间未知",
    opening_hours: null,
  });
  await newStation(db, {
    ...offset(CLOSING, 0, 600),
    name: "节假日休息",
    opening_hours: `${DAYTIME}; PH off`,
  });

  // 60 stations closed in the evening within 500 m, one open around the clock 2 km away: an
  // "open now" search must widen past its first page to find it.
  const crowd: NewStation[] = Array.from({ length: 60 }, (_, i) => ({
    ...offset(CROWD, 100 + (i % 10) * 40, Math.floor(i / 10) * 40),
    name: `早班驿站 ${i}`,
    kind: "warm_post" as const,
    opening_hours: "Mo-Su 07:00-09:00",
  }));
  crowd.push({
    ...offset(CROWD, 0, -2000),
    name: "通宵驿站",
    kind: "smart_24h",
    opening_hours: "24/7",
  });
  await insertStations(db, crowd);
});

afterAll(async () => {
  await server?.close();
});

const WEDNESDAY_EVENING = "2026-03-04T20:00:00%2B08:00";
const names = (body: any): string[] =>
  body.features.map((f: any) => f.properties.name);
const near = ([lng, lat]: [number, number], query = "") =>
  server.get(`/api/nearest?lng=${lng}&lat=${lat}${query}`);

describe("GET /api/nearest: ranking", () => {
  it("ranks by travel time within the radius, with straight-line distances and ETAs", async () => {
    const res = await near(CENTRE, "&open=any&k=10");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/geo+json");
    expect(res.body.type).toBe("FeatureCollection");
    expect(names(res.body)).toEqual([
      "近·全天",
      "中·白天",
      "远·智慧",
      "更远·白天",
    ]);
    expect(res.body.distance_kind).toBe("straight_line");
    expect(res.body.speed_kmh).toBe(4.5);
    expect(res.body.eta_basis.detour_factor).toBe(1.3);
    expect(res.body.origin).toEqual(CENTRE);
    expect(res.body.complete).toBe(true);
    const distances = res.body.features.map(
      (f: any) => f.properties.distance_m,
    );
    for (const [expected, actual] of [150, 400, 900, 2000].map((m, i) => [
      m,
      distances[i],
    ])) {
      expect(Math.abs(actual - expected)).toBeLessThan(expected * 0.01 + 2);
    }
    for (const f of res.body.features) {
      const p = f.properties;
      expect(p.distance_kind).toBe("straight_line");
      // 4.5 km/h = 1.25 m/s over 1.3 × the straight line.
      expect(
        Math.abs(p.duration_s - (p.straight_line_m * 1.3) / 1.25),
      ).toBeLessThanOrEqual(1);
      expect(Date.parse(p.arrival_at) - Date.parse(res.body.at)).toBeCloseTo(
        p.duration_s * 1000,
        -4,
      );
    }
  });

  it("reaches farther with a larger radius and stops at a smaller one", async () => {
    const wide = await near(CENTRE, "&open=any&k=10&radius=20000");
    expect(names(wide.body)).toContain("十二公里");
    const narrow = await near(CENTRE, "&open=any&radius=300");
    expect(names(narrow.body)).toEqual(["近·全天"]);
  });

  it("returns k at most", async () => {
    const res = await near(CENTRE, "&open=any&k=2");
    expect(names(res.body)).toEqual(["近·全天", "中·白天"]);
    expect(res.body.numberReturned).toBe(2);
  });

  it("scales ETAs by mode", async () => {
    const walk = await near(CENTRE, "&k=1&mode=walk");
    const bike = await near(CENTRE, "&k=1&mode=bike");
    expect(bike.body.speed_kmh).toBe(15);
    const ratio =
      walk.body.features[0].properties.duration_s /
      bike.body.features[0].properties.duration_s;
    expect(ratio).toBeCloseTo(15 / 4.5, 1);
  });

  it("gives navigation links converted per app (Amap GCJ-02, others WGS-84)", async () => {
    const res = await near(CENTRE, "&k=1");
    const { navigation } = res.body.features[0].properties;
    const [lng, lat] = res.body.features[0].geometry.coordinates;
    expect(navigation.osm).toContain(`${lat.toFixed(6)},${lng.toFixed(6)}`);
    const amapTo = new URL(navigation.amap).searchParams.get("to")!.split(",");
    // GCJ-02 in Beijing sits a few hundred metres east/north of WGS-84.
    expect(Number(amapTo[0]) - lng).toBeGreaterThan(0.004);
    expect(Number(amapTo[1]) - lat).toBeGreaterThan(0.0005);
    expect(navigation.amap).toContain("mode=walk");
  });
});

describe("GET /api/nearest: filters", () => {
  it("requires every amenity asked for, and available", async () => {
    const res = await near(CENTRE, "&open=any&amenities=microwave");
    expect(names(res.body)).toEqual(["近·全天", "中·白天"]);
    const both = await near(
      CENTRE,
      "&open=any&amenities=microwave,phone_charging",
    );
    expect(names(both.body)).toEqual(["中·白天"]);
  });

  it("filters by kind and by 24 h", async () => {
    const kind = await near(CENTRE, "&open=any&kind=smart_24h");
    expect(names(kind.body)).toEqual(["远·智慧"]);
    const allDay = await near(CENTRE, "&open=any&open24h=true&k=10");
    expect(names(allDay.body)).toEqual(["近·全天", "远·智慧"]);
    for (const f of allDay.body.features)
      expect(f.properties.always_open).toBe(true);
  });

  it("keeps only stations open now in the evening", async () => {
    const res = await near(CENTRE, `&open=now&k=10&at=${WEDNESDAY_EVENING}`);
    expect(names(res.body)).toEqual(["近·全天", "远·智慧"]);
    const any = await near(CENTRE, `&open=any&k=10&at=${WEDNESDAY_EVENING}`);
    const daytime = any.body.features.find(
      (f: any) => f.properties.name === "中·白天",
    ).properties;
    expect(daytime.open_now).toBe(false);
    expect(daytime.state_text_en).toBe("Opens tomorrow 08:00");
    expect(daytime.state_text_zh).toBe("明天 08:00 开门");
  });

  it("widens the candidate pool past many closed stations to find an open one", async () => {
    const res = await near(CROWD, `&open=now&k=1&at=${WEDNESDAY_EVENING}`);
    expect(names(res.body)).toEqual(["通宵驿站"]);
    expect(res.body.complete).toBe(true);
    const any = await near(CROWD, `&open=any&k=3&at=${WEDNESDAY_EVENING}`);
    expect(names(any.body).every((n) => n.startsWith("早班驿站"))).toBe(true);
  });
});

describe("GET /api/nearest: open when I arrive", () => {
  const at1750 = "2026-03-04T17:50:00%2B08:00";

  it("a station closing at 18:00 that is 19 min away at 17:50 is open now but not at arrival", async () => {
    const res = await near(CLOSING, `&open=any&at=${at1750}`);
    expect(names(res.body)).toEqual(["时间未知", "节假日休息", "六点关门"]);
    const p = res.body.features[2].properties;
    expect(p.duration_s).toBeGreaterThan(18 * 60);
    expect(p.duration_s).toBeLessThan(20 * 60);
    expect(p.open_now).toBe(true);
    expect(p.open_at_arrival).toBe(false);
    expect(p.next_change).toBe("2026-03-04T10:00:00.000Z");
    expect(p.state_text_en).toBe("Closes in 10 min");
    expect(p.state_text_zh).toBe("10分钟后关门");
    expect(p.arrival_state_text_en).toBe("Opens tomorrow 08:00");
    expect(res.body.features[0].properties.open_at_arrival).toBeNull();
  });

  it("open=now keeps it, open=arrival drops it (and never promises unknown hours)", async () => {
    const now = await near(CLOSING, `&open=now&at=${at1750}`);
    expect(names(now.body)).toEqual(["节假日休息", "六点关门"]);
    const arrival = await near(CLOSING, `&open=arrival&at=${at1750}`);
    // The 600 m one is 10.4 min away: it arrives 18:00:24, after closing.
    expect(names(arrival.body)).toEqual([]);
    expect(arrival.body.numberReturned).toBe(0);
  });

  it("a station opening at 08:00 counts at 07:50 for arrival but not for now", async () => {
    const at0750 = "2026-03-04T07:50:00%2B08:00";
    const arrival = await near(CLOSING, `&open=arrival&at=${at0750}`);
    // Both daytime stations are > 10 min away, so both have opened when the worker gets there.
    expect(names(arrival.body)).toEqual(["节假日休息", "六点关门"]);
    for (const f of arrival.body.features)
      expect(f.properties.open_now).toBe(false);
    const now = await near(CLOSING, `&open=now&at=${at0750}`);
    expect(names(now.body)).toEqual([]);
  });

  it("PH off closes on 国庆 (2026-10-01)", async () => {
    const res = await near(CLOSING, `&open=any&at=2026-10-01T10:00:00%2B08:00`);
    const holiday = res.body.features.find(
      (f: any) => f.properties.name === "节假日休息",
    ).properties;
    const daytime = res.body.features.find(
      (f: any) => f.properties.name === "六点关门",
    ).properties;
    expect(holiday.open_now).toBe(false);
    expect(holiday.state_text_zh).toContain("国庆");
    expect(daytime.open_now).toBe(true);
  });
});

describe("GET /api/nearest: bad input", () => {
  it.each([
    ["lng=200&lat=39.9", "lng"],
    ["lng=116.4&lat=95", "lat"],
    ["lat=39.9", "lng"],
    ["lng=abc&lat=39.9", "lng"],
    ["lng=116.4&lat=39.9&k=0", "k"],
    ["lng=116.4&lat=39.9&k=1000", "k"],
    ["lng=116.4&lat=39.9&k=2.5", "k"],
    ["lng=116.4&lat=39.9&radius=0", "radius"],
    ["lng=116.4&lat=39.9&radius=100000", "radius"],
    ["lng=116.4&lat=39.9&mode=fly", "mode"],
    ["lng=116.4&lat=39.9&at=yesterday", "at must be an ISO 8601 instant"],
    [
      "lng=116.4&lat=39.9&at=2026-03-04T17:50",
      "at must be an ISO 8601 instant",
    ],
    [
      "lng=116.4&lat=39.9&at=2026-13-04T17:50:00Z",
      "at must be an ISO 8601 instant",
    ],
    ["lng=116.4&lat=39.9&open=maybe", "open"],
    ["lng=116.4&lat=39.9&open24h=maybe", "open24h"],
    ["lng=116.4&lat=39.9&amenities=jacuzzi", 'unknown amenity "jacuzzi"'],
    ["lng=116.4&lat=39.9&kind=castle", "kind"],
    ["lng=116.4&lat=39.9&colour=red", "colour"],
  ])("rejects %s with a 400 naming the problem", async (query, message) => {
    const res = await server.get(`/api/nearest?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toContain(message);
  });

  it("words a position off the globe as such, in the asker's language", async () => {
    const en = await server.request("/api/nearest?lng=999&lat=39.9", { headers: { "Accept-Language": "en" } });
    expect(en.status).toBe(400);
    expect(en.body.error).toContain("lng must be between -180 and 180");
    const zh = await server.request("/api/nearest?lng=116.4&lat=-91", { headers: { "Accept-Language": "zh-CN" } });
    expect(zh.status).toBe(400);
    expect(zh.body.error).toMatch(/^查询条件有误/);
    expect(zh.body.error).toContain("lat must be between -90 and 90");
  });

  it("finds nothing, without error, far from any station", async () => {
    const res = await server.get("/api/nearest?lng=0&lat=0");
    expect(res.status).toBe(200);
    expect(res.body.features).toEqual([]);
  });

  it("is documented in the OpenAPI document", async () => {
    const res = await server.get("/api/openapi.json");
    expect(Object.keys(res.body.paths)).toContain("/api/nearest");
  });
});
