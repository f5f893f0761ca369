package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// A name part with its pinyin, so that e-mail addresses match the names.
type hanzi struct{ zh, py string }

var surnames = []hanzi{{"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"}, {"杨", "yang"},
	{"黄", "huang"}, {"赵", "zhao"}, {"吴", "wu"}, {"周", "zhou"}, {"徐", "xu"}, {"孙", "sun"}, {"马", "ma"},
	{"朱", "zhu"}, {"胡", "hu"}, {"郭", "guo"}, {"何", "he"}, {"高", "gao"}, {"林", "lin"}, {"罗", "luo"},
	{"郑", "zheng"}, {"梁", "liang"}, {"谢", "xie"}, {"宋", "song"}, {"唐", "tang"}, {"韩", "han"}, {"冯", "feng"},
	{"邓", "deng"}, {"曹", "cao"}, {"彭", "peng"}, {"曾", "zeng"}, {"萧", "xiao"}, {"田", "tian"}, {"董", "dong"}}

var givenNames = []hanzi{{"伟", "wei"}, {"芳", "fang"}, {"娜", "na"}, {"敏", "min"}, {"静", "jing"}, {"丽", "li"},
	{"强", "qiang"}, {"磊", "lei"}, {"军", "jun"}, {"洋", "yang"}, {"勇", "yong"}, {"艳", "yan"}, {"杰", "jie"},
	{"娟", "juan"}, {"涛", "tao"}, {"明", "ming"}, {"超", "chao"}, {"秀英", "xiuying"}, {"霞", "xia"}, {"平", "ping"},
	{"刚", "gang"}, {"桂英", "guiying"}, {"浩然", "haoran"}, {"子涵", "zihan"}, {"欣怡", "xinyi"}, {"梓萱", "zixuan"},
	{"宇轩", "yuxuan"}, {"思远", "siyuan"}, {"雨桐", "yutong"}, {"俊杰", "junjie"}, {"晓东", "xiaodong"},
	{"建国", "jianguo"}, {"文博", "wenbo"}, {"佳琪", "jiaqi"}, {"嘉怡", "jiayi"}, {"一鸣", "yiming"}, {"晨", "chen"},
	{"鑫", "xin"}, {"婷", "ting"}, {"博", "bo"}, {"志强", "zhiqiang"}, {"海燕", "haiyan"}, {"丹", "dan"}, {"亮", "liang"}}

var firstNames = []string{"Emma", "Olivia", "Liam", "Noah", "Ava", "Sophia", "James", "Lucas", "Mia", "Ethan",
	"Amelia", "Daniel", "Grace", "Henry", "Chloe", "Jack", "Lily", "Oliver", "Hannah", "Samuel", "Zoe", "David",
	"Sarah", "Michael", "Emily", "Ryan", "Jessica", "Thomas", "Anna", "Kevin", "Priya", "Arjun", "Yuki", "Kenji"}

var lastNames = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor",
	"Anderson", "Thomas", "Moore", "Martin", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright",
	"Scott", "Green", "Baker", "Adams", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips",
	"Patel", "Tanaka", "Müller", "Dubois"}

// city is where a customer lives and which service centre covers it.
type city struct {
	zh, en    string
	centre    int // index into centres
	districts []hanzi
	weight    int
}

// centre is a service centre and the team that staffs it.
type centre struct {
	team, en, code string
}

var centres = []centre{{"北京朝阳服务中心", "Beijing Chaoyang Service Centre", "bj"},
	{"上海徐汇服务中心", "Shanghai Xuhui Service Centre", "sh"}, {"广州天河服务中心", "Guangzhou Tianhe Service Centre", "gz"},
	{"深圳南山服务中心", "Shenzhen Nanshan Service Centre", "sz"}, {"成都武侯服务中心", "Chengdu Wuhou Service Centre", "cd"},
	{"武汉洪山服务中心", "Wuhan Hongshan Service Centre", "wh"}}

var cities = []city{
	{"北京", "Beijing", 0, []hanzi{{"朝阳区", "Chaoyang District"}, {"海淀区", "Haidian District"}}, 14},
	{"天津", "Tianjin", 0, []hanzi{{"南开区", "Nankai District"}}, 4},
	{"石家庄", "Shijiazhuang", 0, []hanzi{{"长安区", "Chang'an District"}}, 2},
	{"上海", "Shanghai", 1, []hanzi{{"徐汇区", "Xuhui District"}, {"浦东新区", "Pudong New Area"}}, 15},
	{"杭州", "Hangzhou", 1, []hanzi{{"西湖区", "Xihu District"}}, 6},
	{"苏州", "Suzhou", 1, []hanzi{{"工业园区", "Suzhou Industrial Park"}}, 4},
	{"南京", "Nanjing", 1, []hanzi{{"鼓楼区", "Gulou District"}}, 4},
	{"广州", "Guangzhou", 2, []hanzi{{"天河区", "Tianhe District"}, {"越秀区", "Yuexiu District"}}, 10},
	{"佛山", "Foshan", 2, []hanzi{{"禅城区", "Chancheng District"}}, 3},
	{"东莞", "Dongguan", 2, []hanzi{{"南城街道", "Nancheng"}}, 3},
	{"深圳", "Shenzhen", 3, []hanzi{{"南山区", "Nanshan District"}, {"福田区", "Futian District"}}, 11},
	{"厦门", "Xiamen", 3, []hanzi{{"思明区", "Siming District"}}, 2},
	{"成都", "Chengdu", 4, []hanzi{{"武侯区", "Wuhou District"}, {"高新区", "High-tech Zone"}}, 7},
	{"重庆", "Chongqing", 4, []hanzi{{"渝中区", "Yuzhong District"}}, 5},
	{"西安", "Xi'an", 4, []hanzi{{"雁塔区", "Yanta District"}}, 3},
	{"武汉", "Wuhan", 5, []hanzi{{"洪山区", "Hongshan District"}, {"江汉区", "Jianghan District"}}, 7},
	{"长沙", "Changsha", 5, []hanzi{{"岳麓区", "Yuelu District"}}, 3},
	{"郑州", "Zhengzhou", 5, []hanzi{{"金水区", "Jinshui District"}}, 3},
}

var streets = []hanzi{{"建国路", "Jianguo Rd"}, {"人民路", "Renmin Rd"}, {"中山路", "Zhongshan Rd"}, {"解放路", "Jiefang Rd"},
	{"科技园路", "Kejiyuan Rd"}, {"滨江大道", "Binjiang Ave"}, {"长江路", "Changjiang Rd"}, {"文化路", "Wenhua Rd"},
	{"新华街", "Xinhua St"}, {"花园路", "Huayuan Rd"}, {"学府路", "Xuefu Rd"}, {"世纪大道", "Century Ave"}}

// Demo logins: fixed so that the README and the demo's own output can
// name them.
const (
	// Password is the password of every demo account.
	Password      = "aftercare-demo"
	adminEmail    = "admin@demo.aftercare.local"
	managerEmail  = "manager@demo.aftercare.local"
	agentEmail    = "agent@demo.aftercare.local"
	techEmail     = "tech@demo.aftercare.local"
	customerEmail = "customer@demo.aftercare.local"
	customerPhone = "13800138000"
	staffDomain   = "demo.aftercare.local"
)

// Login is one demo account a visitor can sign in with.
type Login struct {
	Role     string // admin, manager, agent, technician, centre_manager or customer
	Name     string
	Email    string
	Password string
	Where    string // "staff" (agent side) or "portal" (customer portal)
}

// Logins returns the demo accounts, one per role.
func Logins() []Login {
	return []Login{
		{"admin", "周明", adminEmail, Password, "staff"},
		{"manager", "王建国", managerEmail, Password, "staff"},
		{"agent", "李娜", agentEmail, Password, "staff"},
		{"technician", "张磊", techEmail, Password, "staff"},
		{"centre_manager", "赵刚", centreManagerEmail, Password, "staff"},
		{"customer", "刘洋", customerEmail, Password, "portal"},
	}
}

// staff is the generated staff of every centre, by role.
type staff struct {
	teams    []model.Team
	users    []model.User
	managers []int   // users index per team
	agents   [][]int // users indexes per team
	techs    [][]int
}

// uniq hands out unique strings, suffixing a number on a clash.
type uniq map[string]bool

func (u uniq) take(local, domain string) string {
	s := local + domain
	for n := 2; u[s]; n++ {
		s = fmt.Sprintf("%s%d%s", local, n, domain)
	}
	u[s] = true
	return s
}

func (g *gen) makeStaff(hash string) {
	st := &g.staff
	since := g.now.AddDate(-3, 0, 0)
	emails := uniq{}
	for _, l := range Logins() {
		emails[l.Email] = true
	}
	add := func(name, email string, role model.Role, team *int64, locale string) int {
		id := int64(len(st.users) + 1)
		st.users = append(st.users, model.User{ID: id, Email: email, Name: name, Role: role, TeamID: team,
			Locale: locale, PasswordHash: hash, Active: true, CreatedAt: since.Add(time.Duration(id) * time.Hour)})
		return len(st.users) - 1
	}
	// The demo logins have no saved locale, so the UI follows the
	// visitor's browser (or the language switch).
	add("周明", adminEmail, model.RoleAdmin, nil, "")
	logins := map[model.Role]struct{ name, email string }{
		model.RoleManager: {"王建国", managerEmail}, model.RoleAgent: {"李娜", agentEmail}, model.RoleTechnician: {"张磊", techEmail}}
	staffName := func(team int, role model.Role, first bool) (string, string) {
		if team == 0 && first {
			l := logins[role]
			return l.name, l.email
		}
		s, gv := surnames[g.rnd.IntN(len(surnames))], givenNames[g.rnd.IntN(len(givenNames))]
		return s.zh + gv.zh, emails.take(gv.py+"."+s.py, "@"+staffDomain)
	}
	for i, c := range centres {
		teamID := int64(i + 1)
		st.teams = append(st.teams, model.Team{ID: teamID, Name: c.team, CreatedAt: since})
		name, email := staffName(i, model.RoleManager, true)
		st.managers = append(st.managers, add(name, email, model.RoleManager, &teamID, locale(i, 0)))
		var agents, techs []int
		for k := range 4 {
			name, email := staffName(i, model.RoleAgent, k == 0)
			loc := locale(i, k)
			if k == 1 {
				loc = "en" // one agent per centre answers English-speaking customers
			}
			agents = append(agents, add(name, email, model.RoleAgent, &teamID, loc))
		}
		for k := range 4 {
			name, email := staffName(i, model.RoleTechnician, k == 0)
			techs = append(techs, add(name, email, model.RoleTechnician, &teamID, locale(i, k)))
		}
		st.agents = append(st.agents, agents)
		st.techs = append(st.techs, techs)
	}
}

// locale is a staff member's saved UI language: none for the demo logins
// (the first of each role in the first centre), Chinese for the others.
func locale(team, k int) string {
	if team == 0 && k == 0 {
		return ""
	}
	return "zh-CN"
}

// makeCustomers creates n customers; the first is the demo customer. A
// fifth write English; some have only a phone or only an e-mail.
func (g *gen) makeCustomers(n int, hash string) {
	emails, phones := uniq{}, uniq{}
	emails[customerEmail], phones[customerPhone] = true, true
	cityWeights := 0
	for _, c := range cities {
		cityWeights += c.weight
	}
	pickCity := func() int {
		w := g.rnd.IntN(cityWeights)
		for i, c := range cities {
			if w < c.weight {
				return i
			}
			w -= c.weight
		}
		return 0
	}
	g.customers = make([]model.Customer, 0, n)
	g.custCity = make([]int, 0, n)
	for i := range n {
		ci := pickCity()
		c := model.Customer{ID: int64(i + 1), Locale: "zh-CN", PasswordHash: hash}
		ct := cities[ci]
		d := ct.districts[g.rnd.IntN(len(ct.districts))]
		st := streets[g.rnd.IntN(len(streets))]
		no, bldg, room := 1+g.rnd.IntN(300), 1+g.rnd.IntN(12), (1+g.rnd.IntN(28))*100+1+g.rnd.IntN(6)
		switch {
		case i == 0:
			c.Name, c.Email, c.Phone, ci = "刘洋", customerEmail, customerPhone, 0
			c.City, c.Address = "北京", "朝阳区建国路88号3栋1502"
		case g.rnd.IntN(5) == 0:
			c.Locale = "en"
			f, l := firstNames[g.rnd.IntN(len(firstNames))], lastNames[g.rnd.IntN(len(lastNames))]
			c.Name = f + " " + l
			local := strings.ToLower(f + "." + strings.ReplaceAll(l, "ü", "ue"))
			if g.rnd.IntN(3) == 0 {
				local = strings.ToLower(f[:1] + strings.ReplaceAll(l, "ü", "ue"))
			}
			c.Email = emails.take(local, "@"+pick(g.rnd, []string{"gmail.com", "outlook.com", "icloud.com", "yahoo.com", "proton.me"}))
			if g.rnd.IntN(10) > 0 {
				c.Phone = g.mobile(phones)
			}
			c.City = ct.en
			c.Address = fmt.Sprintf("Room %d, Bldg %d, %d %s, %s", room, bldg, no, st.py, d.py)
		default:
			s, gv := surnames[g.rnd.IntN(len(surnames))], givenNames[g.rnd.IntN(len(givenNames))]
			c.Name = s.zh + gv.zh
			if g.rnd.IntN(7) > 0 {
				switch g.rnd.IntN(4) {
				case 0:
					c.Email = emails.take(fmt.Sprint(10000000+g.rnd.IntN(3000000000)), "@qq.com")
				case 1:
					c.Email = emails.take(s.py+gv.py+fmt.Sprint(g.rnd.IntN(100)), "@163.com")
				case 2:
					c.Email = emails.take(gv.py+"."+s.py, "@"+pick(g.rnd, []string{"outlook.com", "foxmail.com", "126.com"}))
				default:
					c.Email = emails.take(s.py+"_"+gv.py, "@"+pick(g.rnd, []string{"sina.com", "163.com", "gmail.com"}))
				}
			}
			c.Phone = g.mobile(phones)
			c.City = ct.zh
			c.Address = fmt.Sprintf("%s%s%d号%d栋%d", d.zh, st.zh, no, bldg, room)
		}
		if c.Email == "" {
			c.PasswordHash = "" // no portal login without an e-mail in the demo
		}
		g.customers = append(g.customers, c)
		g.custCity = append(g.custCity, ci)
	}
}

// mobile returns a new unique Chinese mobile number.
func (g *gen) mobile(seen uniq) string {
	prefixes := []string{"130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156",
		"157", "158", "159", "166", "176", "177", "180", "181", "182", "185", "186", "187", "188", "189", "199"}
	for {
		n := pick(g.rnd, prefixes) + fmt.Sprintf("%08d", g.rnd.IntN(100000000))
		if !seen[n] {
			seen[n] = true
			return n
		}
	}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }
