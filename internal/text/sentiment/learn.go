package sentiment

import (
	"context"
	"math"
	"math/rand/v2"
)

// dataset is a featurised set of examples, laid out flat for training.
type dataset struct {
	feats []uint32
	start []int32 // example i has feats[start[i]:start[i+1]]
	dense [][nDense]float32
	y     []float64
	wt    []float64 // example weight: balances the classes within a domain
}

func (ds *dataset) len() int { return len(ds.y) }

// featurize extracts the features of exs. Example weights make both
// classes of each domain weigh the same in total, so that the model does
// not learn the label mix of the training domains (waimai is two-thirds
// negative) as a prior.
func featurize(lx *lexicons, l lang, exs []Example, mask uint32) *dataset {
	ds := &dataset{start: make([]int32, 1, len(exs)+1)}
	var sc scratch
	type key struct {
		domain string
		label  int
	}
	count := map[key]int{}
	size := map[string]int{}
	for _, ex := range exs {
		count[key{ex.Domain, ex.Label}]++
		size[ex.Domain]++
	}
	for _, ex := range exs {
		d := sc.extract(lx, l, ex.Text, mask)
		ds.feats = append(ds.feats, sc.feats...)
		ds.start = append(ds.start, int32(len(ds.feats)))
		ds.dense = append(ds.dense, d)
		ds.y = append(ds.y, float64(ex.Label))
		ds.wt = append(ds.wt, float64(size[ex.Domain])/2/float64(count[key{ex.Domain, ex.Label}]))
	}
	return ds
}

// linear is a logistic-regression model with float weights, as trained.
type linear struct {
	bits  uint8
	pow   float32
	w     []float32
	dense [nDense]float32
	bias  float32
}

func (lin *linear) mask() uint32 { return uint32(1)<<lin.bits - 1 }

func (lin *linear) margin(ds *dataset, i int) float64 {
	fs := ds.feats[ds.start[i]:ds.start[i+1]]
	z := float64(lin.bias)
	if len(fs) > 0 {
		var s float64
		for _, f := range fs {
			s += float64(lin.w[f])
		}
		z += s * lenNorm(len(fs), lin.pow)
	}
	for k, v := range ds.dense[i] {
		z += float64(lin.dense[k] * v)
	}
	return z
}

// trainConfig holds the learning hyper-parameters.
type trainConfig struct {
	bits   uint8
	epochs int
	lambda float64 // L2 penalty on the hashed weights, per example
	lr0    float64
	seed   uint64
	pow    float32 // length exponent of the n-gram sum
}

// trainLinear fits L2-regularised logistic regression by SGD with the
// learning rate η_t = η₀/(1+η₀λt) and the weight-scaling trick, so that
// the L2 shrinkage of all weights costs O(1) per step (Bottou, "Stochastic
// gradient descent tricks", 2012). The dense lexicon weights and the bias
// are not penalised: they are few and meant to carry the signal across
// domains.
func trainLinear(ctx context.Context, ds *dataset, cfg trainConfig, progress func(epoch int, loss float64)) (*linear, error) {
	n := ds.len()
	v := make([]float32, 1<<cfg.bits)
	scale := 1.0
	var dense [nDense]float64
	var bias float64
	rng := rand.New(rand.NewPCG(cfg.seed, 0x5EED))
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	t := 0.0
	for epoch := 1; epoch <= cfg.epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		var loss, wsum float64
		for _, i := range order {
			eta := cfg.lr0 / (1 + cfg.lr0*cfg.lambda*t)
			t++
			fs := ds.feats[ds.start[i]:ds.start[i+1]]
			inv := 0.0
			if len(fs) > 0 {
				inv = lenNorm(len(fs), cfg.pow)
			}
			var s float64
			for _, f := range fs {
				s += float64(v[f])
			}
			z := bias + s*scale*inv
			d := ds.dense[i]
			for k, x := range d {
				z += dense[k] * float64(x)
			}
			p := sigmoid(z)
			y, w := ds.y[i], ds.wt[i]
			loss += w * logLoss(p, y)
			wsum += w
			g := (p - y) * w
			scale *= 1 - eta*cfg.lambda
			if scale < 1e-6 {
				for k := range v {
					v[k] *= float32(scale)
				}
				scale = 1
			}
			step := float32(eta * g * inv / scale)
			for _, f := range fs {
				v[f] -= step
			}
			for k, x := range d {
				dense[k] -= eta * g * float64(x)
			}
			bias -= eta * g * 0.1
		}
		if progress != nil {
			progress(epoch, loss/wsum)
		}
	}
	lin := &linear{bits: cfg.bits, pow: cfg.pow, w: v, bias: float32(bias)}
	for k := range v {
		v[k] *= float32(scale)
	}
	for k := range dense {
		lin.dense[k] = float32(dense[k])
	}
	return lin, nil
}

func logLoss(p, y float64) float64 {
	const eps = 1e-12
	if y > 0.5 {
		return -math.Log(p + eps)
	}
	return -math.Log(1 - p + eps)
}

// fitPlattSlope fits p = σ(a·z) to held-out margins z and labels y by
// Newton's method on the log loss: Platt scaling with the intercept held
// at 0. A fitted intercept would learn the label mix of the held-out sets
// (waimai is two-thirds negative) and, measured across domains (shopping
// → waimai, waimai → shopping), it cost 1–2 points of accuracy, so the
// decision threshold stays where the class-balanced training put it and
// only the sharpness of the score is calibrated.
func fitPlattSlope(z, y []float64) float64 {
	a := 1.0
	for range 50 {
		var g, h float64
		for i, zi := range z {
			p := sigmoid(a * zi)
			g += (p - y[i]) * zi
			h += math.Max(p*(1-p), 1e-12) * zi * zi
		}
		if h <= 0 {
			break
		}
		d := g / h
		a -= d
		if math.Abs(d) < 1e-9 {
			break
		}
	}
	return a
}
