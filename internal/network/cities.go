package network

import "strings"

// City is a place a customer can pick instead of typing coordinates: the
// distance search is map-free and offline, so the centre of each major
// Chinese city is listed here (city-government coordinates, WGS-84).
type City struct {
	Zh, En   string
	Lat, Lng float64
}

// Cities lists the cities the distance search knows, north to south
// roughly; the web form offers them in this order.
var Cities = []City{
	{"北京", "Beijing", 39.9042, 116.4074},
	{"天津", "Tianjin", 39.3434, 117.3616},
	{"石家庄", "Shijiazhuang", 38.0428, 114.5149},
	{"太原", "Taiyuan", 37.8706, 112.5489},
	{"呼和浩特", "Hohhot", 40.8424, 111.7490},
	{"沈阳", "Shenyang", 41.8057, 123.4315},
	{"大连", "Dalian", 38.9140, 121.6147},
	{"长春", "Changchun", 43.8171, 125.3235},
	{"哈尔滨", "Harbin", 45.8038, 126.5350},
	{"济南", "Jinan", 36.6512, 117.1201},
	{"青岛", "Qingdao", 36.0671, 120.3826},
	{"郑州", "Zhengzhou", 34.7466, 113.6254},
	{"西安", "Xi'an", 34.3416, 108.9398},
	{"兰州", "Lanzhou", 36.0611, 103.8343},
	{"乌鲁木齐", "Urumqi", 43.8256, 87.6168},
	{"南京", "Nanjing", 32.0603, 118.7969},
	{"苏州", "Suzhou", 31.2990, 120.5853},
	{"上海", "Shanghai", 31.2304, 121.4737},
	{"杭州", "Hangzhou", 30.2741, 120.1551},
	{"宁波", "Ningbo", 29.8683, 121.5440},
	{"合肥", "Hefei", 31.8206, 117.2272},
	{"武汉", "Wuhan", 30.5928, 114.3055},
	{"长沙", "Changsha", 28.2282, 112.9388},
	{"南昌", "Nanchang", 28.6820, 115.8579},
	{"成都", "Chengdu", 30.5728, 104.0668},
	{"重庆", "Chongqing", 29.5630, 106.5516},
	{"贵阳", "Guiyang", 26.6470, 106.6302},
	{"昆明", "Kunming", 25.0389, 102.7183},
	{"福州", "Fuzhou", 26.0745, 119.2965},
	{"厦门", "Xiamen", 24.4798, 118.0894},
	{"广州", "Guangzhou", 23.1291, 113.2644},
	{"佛山", "Foshan", 23.0215, 113.1214},
	{"东莞", "Dongguan", 23.0207, 113.7518},
	{"深圳", "Shenzhen", 22.5431, 114.0579},
	{"南宁", "Nanning", 22.8170, 108.3665},
	{"海口", "Haikou", 20.0440, 110.1999},
	{"香港", "Hong Kong", 22.3193, 114.1694},
}

// FindCity looks a city up by its Chinese or English name (case and
// spaces ignored; "北京市" and "Beijing City" match too).
func FindCity(name string) (City, bool) {
	n := normalizeCity(name)
	if n == "" {
		return City{}, false
	}
	for _, c := range Cities {
		if n == normalizeCity(c.Zh) || n == normalizeCity(c.En) {
			return c, true
		}
	}
	return City{}, false
}

func normalizeCity(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	s = strings.ReplaceAll(s, "'", "")
	for _, suffix := range []string{"市", "city"} {
		s = strings.TrimSuffix(s, suffix)
	}
	return s
}
