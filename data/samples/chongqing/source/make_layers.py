#!/usr/bin/env python3
"""Writes the sample city's static layers (zones, walkable surfaces, base map) from the hand-entered geometry below.

Run from this folder: python3 make_layers.py  (standard library only; the output is committed, so this runs only when
the geometry below changes). The geometry is approximate: outlines and centre lines drawn from public maps and the
coordinates named in the project's issues, good to a few tens of metres, not survey data. Areas are computed in a
local equirectangular frame around 29.56 N, which at this size differs from the UTM area by well under 1%.
"""
import json
import math
import os

LAT0 = 29.56
M_PER_DEG_LAT = 110_850.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(LAT0))


def to_m(lon, lat):
    return ((lon - 106.5) * M_PER_DEG_LON, (lat - LAT0) * M_PER_DEG_LAT)


def to_deg(x, y):
    return (round(106.5 + x / M_PER_DEG_LON, 7), round(LAT0 + y / M_PER_DEG_LAT, 7))


def rect(lat, lon, length_m, width_m, bearing_deg):
    """A rectangle centred on (lat, lon), its long side along the compass bearing."""
    cx, cy = to_m(lon, lat)
    b = math.radians(bearing_deg)
    ux, uy = math.sin(b), math.cos(b)  # along
    vx, vy = uy, -ux  # across
    pts = []
    for sa, sw in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        pts.append(to_deg(cx + sa * ux * length_m / 2 + sw * vx * width_m / 2, cy + sa * uy * length_m / 2 + sw * vy * width_m / 2))
    return close(ccw(pts))


def blob(lat, lon, rx_m, ry_m, bearing_deg, n=12):
    """An ellipse-like outline (n vertices) for places whose edge is irregular."""
    cx, cy = to_m(lon, lat)
    b = math.radians(bearing_deg)
    pts = []
    for k in range(n):
        t = 2 * math.pi * k / n
        # a little irregularity, fixed, so outlines do not look machine-made
        r = 1.0 + 0.08 * math.sin(3 * t + 0.7)
        x, y = rx_m * r * math.cos(t), ry_m * r * math.sin(t)
        pts.append(to_deg(cx + x * math.cos(b) + y * math.sin(b), cy - x * math.sin(b) + y * math.cos(b)))
    return close(ccw(pts))


def strip(points, width_m):
    """A polyline (lat, lon pairs) buffered to a band width_m wide (mitred joins), as one polygon."""
    xy = [to_m(lon, lat) for lat, lon in points]
    left, right = [], []
    for i, (x, y) in enumerate(xy):
        normals = []
        if i > 0:
            normals.append(normal(xy[i - 1], xy[i]))
        if i < len(xy) - 1:
            normals.append(normal(xy[i], xy[i + 1]))
        nx = sum(n[0] for n in normals)
        ny = sum(n[1] for n in normals)
        ln = math.hypot(nx, ny)
        nx, ny = nx / ln, ny / ln
        # mitre length, capped so sharp bends do not spike
        cos_half = max(0.5, nx * normals[0][0] + ny * normals[0][1])
        h = width_m / 2 / cos_half
        left.append(to_deg(x + nx * h, y + ny * h))
        right.append(to_deg(x - nx * h, y - ny * h))
    return close(ccw(left + right[::-1]))


def normal(a, b):
    dx, dy = b[0] - a[0], b[1] - a[1]
    ln = math.hypot(dx, dy)
    return (-dy / ln, dx / ln)


def area_m2(ring):
    xy = [to_m(lon, lat) for lon, lat in ring]
    return abs(sum(xy[i][0] * xy[i + 1][1] - xy[i + 1][0] * xy[i][1] for i in range(len(xy) - 1))) / 2


def ccw(pts):
    s = sum(pts[i][0] * pts[(i + 1) % len(pts)][1] - pts[(i + 1) % len(pts)][0] * pts[i][1] for i in range(len(pts)))
    return pts if s > 0 else pts[::-1]


def close(pts):
    return [list(p) for p in pts] + [list(pts[0])]


def scaled(ring, factor):
    xy = [to_m(lon, lat) for lon, lat in ring[:-1]]
    cx = sum(p[0] for p in xy) / len(xy)
    cy = sum(p[1] for p in xy) / len(xy)
    return close([to_deg(cx + (x - cx) * factor, cy + (y - cy) * factor) for x, y in xy])


def polygon(ring):
    return {"type": "Polygon", "coordinates": [ring]}


def line(points):
    return {"type": "LineString", "coordinates": [list(to_deg(*to_m(lon, lat))) for lat, lon in points]}


def feature(geometry, **props):
    return {"type": "Feature", "properties": props, "geometry": geometry}


# Zones: id, Chinese and English names, kind of place (drives the simulator's rhythms), outline, capacity (people the
# managers admit at once) and walkable area (m², the decks, squares and streets people can stand on). DRAW is how
# strongly a place attracts visitors for its size, for the simulator (1 ordinary; the famous night views more).
ZONES = [
    ("jiefangbei", "解放碑步行街", "Jiefangbei pedestrian street", "shopping", blob(29.5575, 106.5772, 230, 170, 20), 60000, 45000),
    ("hongyadong", "洪崖洞", "Hongyadong", "scenic", rect(29.5630, 106.5790, 560, 70, 52), 15000, 6500),
    ("chaotianmen", "朝天门广场", "Chaotianmen square", "scenic", blob(29.5662, 106.5884, 120, 85, 40), 30000, 22000),
    ("raffles", "重庆来福士", "Raffles City", "shopping", rect(29.5648, 106.5855, 260, 140, 60), 40000, 25000),
    ("cableway", "长江索道(新华路站)", "Yangtze River Cableway", "scenic", rect(29.5558, 106.5876, 60, 40, 30), 2500, 1500),
    ("xinhualu", "小什字站(新华路)", "Xinhua Road station", "transit", rect(29.5540, 106.5860, 90, 60, 45), 6000, 3000),
    ("shibati", "十八梯", "Shibati", "scenic", blob(29.5535, 106.5760, 160, 105, 10), 20000, 16000),
    ("qiansimen", "千厮门大桥人行道", "Qiansimen bridge walkway", "scenic", rect(29.5658, 106.5820, 640, 24, 26), 6000, 5100),
    ("greathall", "人民大礼堂", "Great Hall of the People", "scenic", blob(29.5622, 106.5490, 160, 130, 0), 50000, 40000),
    ("liziba", "李子坝站观景平台", "Liziba station", "scenic", rect(29.5527, 106.5393, 80, 60, 35), 3000, 2500),
    ("ciqikou", "磁器口古镇", "Ciqikou ancient town", "scenic", blob(29.5790, 106.4500, 260, 180, 15), 40000, 30000),
    ("sanxia", "三峡广场", "Sanxia Square", "shopping", blob(29.5577, 106.4563, 200, 130, 70), 40000, 32000),
]

# Main pedestrian routes between the zones, (lat, lon) centre lines, and their walkable width in metres.
STREETS = [
    ("Cangbai Road", "沧白路", 14, [(29.5575, 106.5772), (29.5600, 106.5776), (29.5622, 106.5784)]),
    ("Xinhua Road", "新华路", 12, [(29.5575, 106.5772), (29.5590, 106.5810), (29.5620, 106.5840), (29.5650, 106.5866), (29.5660, 106.5880)]),
    ("Jialing Riverside Road", "嘉滨路", 10, [(29.5630, 106.5790), (29.5633, 106.5806), (29.5645, 106.5840), (29.5655, 106.5870), (29.5662, 106.5884)]),
    ("Shaanxi Road", "陕西路", 12, [(29.5575, 106.5772), (29.5560, 106.5820), (29.5545, 106.5855), (29.5558, 106.5876)]),
    ("Shibati steps", "十八梯步道", 8, [(29.5575, 106.5772), (29.5558, 106.5765), (29.5540, 106.5762)]),
    ("Zhongshan Road", "中山路", 12, [(29.5575, 106.5772), (29.5562, 106.5700), (29.5560, 106.5620), (29.5590, 106.5560), (29.5612, 106.5505)]),
    ("Liziba Road", "李子坝路", 8, [(29.5622, 106.5490), (29.5585, 106.5440), (29.5545, 106.5402), (29.5527, 106.5393)]),
    ("Xiaolongkan corridor", "小龙坎沿线", 10, [(29.5527, 106.5393), (29.5530, 106.5200), (29.5558, 106.5000), (29.5570, 106.4800), (29.5577, 106.4563)]),
    ("Ciqikou Road", "磁器口正街", 10, [(29.5577, 106.4563), (29.5680, 106.4540), (29.5790, 106.4500)]),
]

# Base map: river centre lines with their width, main roads, bridges and labels.
RIVERS = [
    ("嘉陵江", "Jialing River", 380, [(29.5950, 106.4470), (29.5830, 106.4540), (29.5740, 106.4610), (29.5700, 106.4760),
                                      (29.5720, 106.4950), (29.5680, 106.5120), (29.5620, 106.5250), (29.5590, 106.5320),
                                      (29.5568, 106.5395), (29.5590, 106.5460), (29.5680, 106.5510), (29.5712, 106.5600),
                                      (29.5685, 106.5700), (29.5662, 106.5780), (29.5678, 106.5850), (29.5700, 106.5905)]),
    ("长江", "Yangtze River", 720, [(29.5380, 106.5400), (29.5420, 106.5520), (29.5448, 106.5620), (29.5470, 106.5720),
                                    (29.5490, 106.5800), (29.5520, 106.5890), (29.5585, 106.5955), (29.5680, 106.5990),
                                    (29.5780, 106.5985), (29.5900, 106.5960)]),
]
ROADS = [(name_en, name_zh, pts) for name_en, name_zh, _, pts in STREETS] + [
    ("Jiefang West Road", "解放西路", [(29.5520, 106.5620), (29.5505, 106.5720), (29.5515, 106.5800), (29.5545, 106.5880)]),
    ("Changjiang Riverside Road", "长滨路", [(29.5460, 106.5600), (29.5482, 106.5700), (29.5500, 106.5790), (29.5535, 106.5890), (29.5600, 106.5930)]),
    ("Daping Main Street", "大坪正街", [(29.5420, 106.5200), (29.5450, 106.5300), (29.5490, 106.5420), (29.5530, 106.5540)]),
]
BRIDGES = [
    ("千厮门嘉陵江大桥", "Qiansimen Bridge", [(29.5632, 106.5805), (29.5684, 106.5835), (29.5730, 106.5862)]),
    ("黄花园大桥", "Huanghuayuan Bridge", [(29.5648, 106.5620), (29.5760, 106.5650)]),
    ("嘉陵江大桥", "Jialing River Bridge", [(29.5640, 106.5470), (29.5760, 106.5455)]),
    ("东水门长江大桥", "Dongshuimen Bridge", [(29.5562, 106.5890), (29.5470, 106.5965)]),
    ("菜园坝长江大桥", "Caiyuanba Bridge", [(29.5472, 106.5560), (29.5385, 106.5605)]),
    ("长江索道", "Yangtze River Cableway", [(29.5558, 106.5876), (29.5490, 106.5925)]),
]
LABELS = [
    ("渝中区", "Yuzhong", 29.5560, 106.5650, "district"), ("沙坪坝区", "Shapingba", 29.5620, 106.4650, "district"),
    ("江北区", "Jiangbei", 29.5800, 106.5650, "district"), ("南岸区", "Nan'an", 29.5420, 106.5900, "district"),
    ("九龙坡区", "Jiulongpo", 29.5430, 106.5100, "district"), ("嘉陵江", "Jialing River", 29.5705, 106.5560, "water"),
    ("长江", "Yangtze River", 29.5455, 106.5680, "water"),
] + [(zh, en, None, None, "place") for _, zh, en, _, _, _, _ in ZONES]


DRAW = {"hongyadong": 2.4, "cableway": 2.0, "liziba": 2.0, "qiansimen": 1.5, "greathall": 0.5, "sanxia": 0.8}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.dirname(here)

    zones, walk = [], []
    for zid, zh, en, kind, ring, capacity, walkable in ZONES:
        zone_area = area_m2(ring)
        assert walkable <= zone_area, (zid, walkable, zone_area)
        zones.append(feature(polygon(ring), name=zid, name_zh=zh, name_en=en, kind=kind, capacity=capacity,
                             walkableAreaM2=walkable, areaM2=round(zone_area), draw=DRAW.get(zid, 1.0)))
        # The zone's walkable surface: the outline shrunk about its centre to the walkable area.
        walk.append(feature(polygon(scaled(ring, math.sqrt(walkable / zone_area))), kind="zone", zone=zid))
    for en, zh, width, pts in STREETS:
        walk.append(feature(polygon(strip(pts, width)), kind="street", name_en=en, name_zh=zh, widthM=width))

    base = []
    for zh, en, width, pts in RIVERS:
        base.append(feature(polygon(strip(pts, width)), layer="water", name_zh=zh, name_en=en))
    for en, zh, pts in ROADS:
        base.append(feature(line(pts), layer="road", name_zh=zh, name_en=en))
    for zh, en, pts in BRIDGES:
        base.append(feature(line(pts), layer="bridge", name_zh=zh, name_en=en))
    centres = {zh: ring for _, zh, _, _, ring, _, _ in ZONES}
    for zh, en, lat, lon, kind in LABELS:
        if lat is None:
            ring = centres[zh][:-1]
            lon = round(sum(p[0] for p in ring) / len(ring), 6)
            lat = round(sum(p[1] for p in ring) / len(ring), 6)
        base.append(feature({"type": "Point", "coordinates": [lon, lat]}, layer="label", kind=kind, name_zh=zh, name_en=en))

    write(os.path.join(out, "zones.geojson"), zones)
    write(os.path.join(out, "walkable.geojson"), walk)
    write(os.path.join(out, "basemap.geojson"), base)


def write(path, features):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type": "FeatureCollection", "features": [\n')
        f.write(",\n".join(json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in features))
        f.write("\n]}\n")


if __name__ == "__main__":
    main()
