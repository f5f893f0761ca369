package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/text/tokenize"
)

// A request's search document is made of three parts, each tokenized on
// its own: its number, its text (subject and description) and its
// customer's part (name, e-mail, phone, serial). tokenize.SearchTerms
// splits at spaces, so the three parts' terms in a row are the terms of
// the whole document joined with spaces, as before the split. The text is
// the larger part and is known before the request's transaction: a
// creation tokenizes it before it queues for the writer, which then only
// reads the customer's row and writes the document.

// requestTerms are the search terms of a request's document.
func requestTerms(number, subject, desc, name, email, phone, serial string) []string {
	return requestDoc(number, requestTextTerms(subject, desc), name, email, phone, serial)
}

// requestTextTerms are the terms of a request's subject and description.
func requestTextTerms(subject, desc string) []string {
	return tokenize.SearchTerms(subject + " " + desc)
}

// requestDoc is a request's document from its number, the terms of its
// text (requestTextTerms) and its customer's part.
func requestDoc(number string, text []string, name, email, phone, serial string) []string {
	terms := tokenize.SearchTerms(number)
	terms = append(terms, text...)
	return append(terms, tokenize.SearchTerms(strings.Join([]string{name, email, phone, phoneVariants(phone), serial}, " "))...)
}

// indexNewRequestTx writes the search document of r, just inserted with
// its number and serial, in the caller's transaction, from text (the
// requestTextTerms of its subject and description): the document
// indexRequestTx writes, reading only the customer's row instead of the
// request joined to its customer and unit.
func (s *Store) indexNewRequestTx(ctx context.Context, q Querier, r *model.Request, text []string) error {
	var name, email, phone string
	err := q.QueryRow(ctx, "SELECT name, COALESCE(email, ''), COALESCE(phone, '') FROM customers WHERE id = $1",
		r.CustomerID).Scan(&name, &email, &phone)
	if err != nil {
		return fmt.Errorf("index request %d: %w", r.ID, err)
	}
	return s.putSearchDoc(ctx, q, -r.ID, r.ID, false, requestDoc(r.Number, text, name, email, phone, r.Serial))
}
