package sentiment

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// fileMagic starts every model file, so that a wrong file fails loudly.
// Version 2 adds the length exponent; version 1 files (exponent ½) still
// load.
const (
	fileMagic   = "AFTSENT2"
	fileMagicV1 = "AFTSENT1"
)

// langModel is the linear model of one language. The margin of a text is
// bias + Σ w[f]·scale/n^pow over its n hashed features + dense·d; Platt
// scaling (a, b) turns the margin into a probability.
type langModel struct {
	bits  uint8
	scale float32 // weight of the int16 value 1
	pow   float32 // length exponent: ½ divides the n-gram sum by √n
	// rates are how often the lexicon is clearly positive or negative in
	// the training data, by class (see lexRates); adaptation needs them.
	rates lexRates
	w     []int16 // 1<<bits buckets
	dense [nDense]float32
	bias  float32
	a, b  float32
}

func (lm *langModel) mask() uint32 { return uint32(1)<<lm.bits - 1 }

// margin is the uncalibrated score of a featurised text.
func (lm *langModel) margin(feats []uint32, d [nDense]float32) float64 {
	z := float64(lm.bias)
	if len(feats) > 0 {
		var s int64
		w := lm.w
		for _, f := range feats {
			s += int64(w[f])
		}
		z += float64(s) * float64(lm.scale) * lenNorm(len(feats), lm.pow)
	}
	for i, v := range d {
		z += float64(lm.dense[i] * v)
	}
	return z
}

// prob turns a margin into a calibrated probability.
func (lm *langModel) prob(z float64) float64 {
	return sigmoid(float64(lm.a)*z + float64(lm.b))
}

// lenNorm is n^-pow, the factor that keeps the n-gram sum of a long
// text from swamping the lexicon features.
func lenNorm(n int, pow float32) float64 {
	if pow == 0.5 {
		return 1 / math.Sqrt(float64(n))
	}
	return math.Pow(float64(n), -float64(pow))
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// quantize builds a langModel from float weights, mapping the largest
// absolute weight to ±32767.
func quantize(bits uint8, pow float32, w []float32, dense [nDense]float32, bias float32) langModel {
	var maxAbs float32
	for _, v := range w {
		maxAbs = max(maxAbs, float32(math.Abs(float64(v))))
	}
	lm := langModel{bits: bits, pow: pow, w: make([]int16, len(w)), dense: dense, bias: bias, a: 1, scale: 1}
	if maxAbs > 0 {
		lm.scale = maxAbs / 32767
		for i, v := range w {
			lm.w[i] = int16(math.Round(float64(v / lm.scale)))
		}
	}
	return lm
}

// WriteTo writes the model in its compact gzip-compressed form: per
// language the header numbers, then only the non-zero buckets as
// (index delta, zig-zag value) varint pairs.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	zw, err := gzip.NewWriterLevel(cw, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriter(zw)
	bw.WriteString(fileMagic)
	var tmp []byte
	for _, lm := range []*langModel{&m.zh, &m.en} {
		tmp = append(tmp[:0], lm.bits, nDense)
		for _, f := range append([]float32{lm.bias, lm.a, lm.b, lm.scale, lm.pow, lm.rates.pos1, lm.rates.pos0, lm.rates.neg1, lm.rates.neg0}, lm.dense[:]...) {
			tmp = binary.LittleEndian.AppendUint32(tmp, math.Float32bits(f))
		}
		nnz := 0
		for _, v := range lm.w {
			if v != 0 {
				nnz++
			}
		}
		tmp = binary.AppendUvarint(tmp, uint64(nnz))
		bw.Write(tmp)
		prev := -1
		for i, v := range lm.w {
			if v == 0 {
				continue
			}
			tmp = binary.AppendUvarint(tmp[:0], uint64(i-prev))
			tmp = binary.AppendVarint(tmp, int64(v))
			bw.Write(tmp)
			prev = i
		}
	}
	if err := bw.Flush(); err != nil {
		return cw.n, fmt.Errorf("sentiment: write model: %w", err)
	}
	if err := zw.Close(); err != nil {
		return cw.n, fmt.Errorf("sentiment: write model: %w", err)
	}
	return cw.n, cw.err
}

type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if err != nil && c.err == nil {
		c.err = err
	}
	return n, err
}

// Decode reads a model written by WriteTo.
func Decode(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("sentiment: read model: %w", err)
	}
	br := bufio.NewReader(zr)
	magic := make([]byte, len(fileMagic))
	if _, err := io.ReadFull(br, magic); err != nil || (string(magic) != fileMagic && string(magic) != fileMagicV1) {
		return nil, errors.New("sentiment: read model: not a sentiment model file")
	}
	m := newModel()
	for _, lm := range []*langModel{&m.zh, &m.en} {
		if err := decodeLang(br, lm, string(magic) == fileMagicV1); err != nil {
			return nil, fmt.Errorf("sentiment: read model: %w", err)
		}
	}
	return m, nil
}

func decodeLang(br *bufio.Reader, lm *langModel, v1 bool) error {
	var hdr [2]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return err
	}
	// Older files have fewer dense features; the missing ones weigh 0.
	if hdr[0] < 8 || hdr[0] > 26 || hdr[1] > nDense {
		return fmt.Errorf("bad header %v", hdr)
	}
	lm.bits = hdr[0]
	nHead := 9
	if v1 {
		nHead = 4
	}
	fs := make([]float32, nHead+int(hdr[1]))
	var b4 [4]byte
	for i := range fs {
		if _, err := io.ReadFull(br, b4[:]); err != nil {
			return err
		}
		fs[i] = math.Float32frombits(binary.LittleEndian.Uint32(b4[:]))
	}
	lm.bias, lm.a, lm.b, lm.scale, lm.pow = fs[0], fs[1], fs[2], fs[3], 0.5
	if !v1 {
		lm.pow = fs[4]
		lm.rates = lexRates{pos1: fs[5], pos0: fs[6], neg1: fs[7], neg0: fs[8]}
		if !(lm.pow >= 0 && lm.pow <= 1) {
			return fmt.Errorf("bad length exponent %v", lm.pow)
		}
	}
	copy(lm.dense[:], fs[nHead:])
	nnz, err := binary.ReadUvarint(br)
	if err != nil {
		return err
	}
	lm.w = make([]int16, 1<<lm.bits)
	pos := -1
	for range nnz {
		d, err := binary.ReadUvarint(br)
		if err != nil {
			return err
		}
		v, err := binary.ReadVarint(br)
		if err != nil {
			return err
		}
		pos += int(d)
		if pos < 0 || pos >= len(lm.w) || v < math.MinInt16 || v > math.MaxInt16 {
			return errors.New("corrupt weights")
		}
		lm.w[pos] = int16(v)
	}
	return nil
}
