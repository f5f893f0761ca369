package parts_test

import (
	"errors"

	"github.com/aftercare/aftercare/internal/model"
)

func asError(err error, target **model.Error) bool { return errors.As(err, target) }
