package network

import "math"

// EarthRadiusKm is the mean Earth radius (IUGG), R₁ = 6371.0088 km.
const EarthRadiusKm = 6371.0088

// DistanceKm is the great-circle distance in kilometres between two
// points given in degrees (WGS-84 latitude and longitude), by the
// haversine formula on a sphere of radius R = EarthRadiusKm:
//
//	a = sin²(Δφ/2) + cos φ₁ · cos φ₂ · sin²(Δλ/2)
//	d = 2R · asin(√a)
//
// with φ the latitudes and λ the longitudes in radians. The sphere is off
// the ellipsoid by at most about 0.5 %, far less than the detour of any
// road; haversine stays accurate for short distances, where the law of
// cosines loses digits. Beijing (39.9042, 116.4074) to Shanghai (31.2304,
// 121.4737) is 1067.3 km.
func DistanceKm(lat1, lng1, lat2, lng2 float64) float64 {
	rad := math.Pi / 180
	φ1, φ2 := lat1*rad, lat2*rad
	dφ, dλ := (lat2-lat1)*rad, (lng2-lng1)*rad
	a := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(min(1, a)))
}

// roundKm rounds a distance to the metre, for answers people read and
// programs compare.
func roundKm(d float64) float64 { return math.Round(d*1000) / 1000 }
