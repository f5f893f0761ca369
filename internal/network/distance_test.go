package network

import (
	"math"
	"testing"
)

// TestDistanceKm checks the haversine distance against values computed by
// hand: a quarter of a meridian is πR/2, a degree of longitude on the
// equator is πR/180, antipodes are πR apart; Beijing–Shanghai and
// Guangzhou–Shenzhen against the formula evaluated separately (R =
// 6371.0088 km).
func TestDistanceKm(t *testing.T) {
	R := EarthRadiusKm
	for _, c := range []struct {
		name                   string
		lat1, lng1, lat2, lng2 float64
		want                   float64
	}{
		{"same point", 39.9042, 116.4074, 39.9042, 116.4074, 0},
		{"equator to pole", 0, 0, 90, 0, math.Pi * R / 2},                // 10007.557 km
		{"one degree on the equator", 0, 0, 0, 1, math.Pi * R / 180},     // 111.195 km
		{"antipodes", 0, 0, 0, 180, math.Pi * R},                         // 20015.114 km
		{"across the date line", 0, 179.5, 0, -179.5, math.Pi * R / 180}, // 1° apart, not 359°
		{"Beijing–Shanghai", 39.9042, 116.4074, 31.2304, 121.4737, 1067.3116},
		{"Guangzhou–Shenzhen", 23.1291, 113.2644, 22.5431, 114.0579, 104.2031},
		{"Chengdu–Wuhan", 30.5728, 104.0668, 30.5928, 114.3055, 979.7869},
	} {
		got := DistanceKm(c.lat1, c.lng1, c.lat2, c.lng2)
		if math.Abs(got-c.want) > 0.0005 {
			t.Errorf("%s: got %.4f km, want %.4f", c.name, got, c.want)
		}
		if back := DistanceKm(c.lat2, c.lng2, c.lat1, c.lng1); math.Abs(back-got) > 1e-9 {
			t.Errorf("%s: not symmetric: %.6f and %.6f", c.name, got, back)
		}
	}
}

func TestFindCity(t *testing.T) {
	for _, name := range []string{"北京", "北京市", "beijing", " Beijing City "} {
		if c, ok := FindCity(name); !ok || c.En != "Beijing" {
			t.Errorf("FindCity(%q): got %+v %v, want Beijing", name, c, ok)
		}
	}
	if c, ok := FindCity("xian"); !ok || c.Zh != "西安" {
		t.Errorf("FindCity(xian): got %+v %v, want 西安 (Xi'an without the apostrophe)", c, ok)
	}
	if _, ok := FindCity("Atlantis"); ok {
		t.Error("FindCity(Atlantis): got a city")
	}
}
