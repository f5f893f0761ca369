package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEveryErrorMessageTranslated reads the Go sources of the packages
// whose errors reach users and checks that every English format string
// passed to model.Errorf, model.FieldError or model.Conflict has a
// catalog entry, so no error message exists in one language only.
func TestEveryErrorMessageTranslated(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..")
	funcs := map[string]int{"Errorf": 1, "FieldError": 1, "Conflict": 1} // index of the format argument
	checked := 0
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		// Offline tools print English on a terminal; their errors are not
		// shown to service staff or customers.
		for _, skip := range []string{"analyze", "evaluate", "text", "demo", "loadgen", "cli", "testenv"} {
			if strings.HasPrefix(filepath.ToSlash(path), "../"+skip+"/") {
				return nil
			}
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var name string
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok && x.Name == "model" {
					name = fn.Sel.Name
				}
			case *ast.Ident:
				if strings.HasSuffix(filepath.Dir(path), "model") {
					name = fn.Name
				}
			}
			i, ok := funcs[name]
			if !ok || len(call.Args) <= i {
				return true
			}
			lit, ok := call.Args[i].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			format, _ := strconv.Unquote(lit.Value)
			checked++
			if !b.Has(format) {
				t.Errorf("%s: %q has no translation in locales/*/errors.json", fset.Position(lit.Pos()), format)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 30 {
		t.Fatalf("only %d messages found; is the source walk broken?", checked)
	}
}
