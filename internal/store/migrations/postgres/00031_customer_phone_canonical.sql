-- +goose Up
-- Customers' mobile numbers in their one canonical form (issue 11, see
-- internal/phone): a Chinese mainland mobile stored as "+86…", "0086…" or
-- "86…" becomes its 11-digit national form, and another number stored
-- with "00" in front becomes "+…". A number whose canonical form another
-- customer already has is left as it is (the column is unique): the two
-- are one person or a mistake, for staff to decide; start-up logs how
-- many are left (Store.NonCanonicalPhones). Each statement strips one
-- prefix, so no two rows it changes can meet on the same number.
UPDATE customers SET phone = substr(phone, 5)
WHERE phone ~ '^00861[3-9][0-9]{9}$'
  AND NOT EXISTS (SELECT 1 FROM customers o WHERE o.phone = substr(customers.phone, 5));
UPDATE customers SET phone = '+' || substr(phone, 3)
WHERE phone ~ '^00[0-9]+$' AND phone !~ '^00861[3-9][0-9]{9}$'
  AND NOT EXISTS (SELECT 1 FROM customers o WHERE o.phone = '+' || substr(customers.phone, 3));
UPDATE customers SET phone = substr(phone, 4)
WHERE phone ~ '^\+861[3-9][0-9]{9}$'
  AND NOT EXISTS (SELECT 1 FROM customers o WHERE o.phone = substr(customers.phone, 4));
UPDATE customers SET phone = substr(phone, 3)
WHERE phone ~ '^861[3-9][0-9]{9}$'
  AND NOT EXISTS (SELECT 1 FROM customers o WHERE o.phone = substr(customers.phone, 3));

-- +goose Down
-- The typed forms are gone; the canonical ones serve every form.
SELECT 1;
