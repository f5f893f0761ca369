package model

// Dimension is one of the six service-quality dimensions that surveys,
// comment aspects and indicators are mapped onto (product.md, capability 7).
type Dimension string

// The six dimensions.
const (
	DimTechnical  Dimension = "technical"  // 专业技术: the problem was really fixed
	DimEfficiency Dimension = "efficiency" // 服务效率: it was fast
	DimNetwork    Dimension = "network"    // 网点覆盖: it was convenient
	DimProcess    Dimension = "process"    // 流程规范: I always knew where it stood
	DimPrice      Dimension = "price"      // 价格收费: the price was fair and clear
	DimLoyalty    Dimension = "loyalty"    // 满意与忠诚: overall satisfaction and loyalty
)

// Dimensions lists the six dimensions in their canonical order.
var Dimensions = []Dimension{DimTechnical, DimEfficiency, DimNetwork, DimProcess, DimPrice, DimLoyalty}
