package assistant

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/kb"
)

// LLM phrases answers through an OpenAI-compatible chat-completions
// endpoint (POST {URL}/chat/completions). It is only given the question
// and the retrieved public passages, and told to answer from them alone.
// The key is sent as a bearer token and never logged.
type LLM struct {
	URL    string // base URL, e.g. http://127.0.0.1:8081/v1
	Model  string
	Key    string
	Client *http.Client
}

// maxLLMReply bounds the endpoint's reply.
const maxLLMReply = 1 << 20

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Phrase asks the endpoint to answer question from the hits' passages in
// locale's language.
func (l *LLM) Phrase(ctx context.Context, question, locale string, hits []kb.Hit) (string, error) {
	lang := "English"
	if locale == "zh-CN" {
		lang = "Simplified Chinese"
	}
	var passages strings.Builder
	for i, h := range hits {
		fmt.Fprintf(&passages, "[%d] %s\n%s\n\n", i+1, h.Title, kb.PlainText(h.Body))
	}
	body, err := json.Marshal(map[string]any{
		"model":       l.Model,
		"temperature": 0,
		"messages": []chatMessage{
			{Role: "system", Content: "You are the after-sales help assistant. Answer the customer's question in " + lang +
				" using only the numbered help articles below; do not add facts they do not state. If they do not answer " +
				"the question, say you are not sure and offer to pass the customer to a person. Be brief.\n\n" + passages.String()},
			{Role: "user", Content: question},
		},
	})
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(l.URL, "/")+"/chat/completions", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	if l.Key != "" {
		req.Header.Set("Authorization", "Bearer "+l.Key)
	}
	client := l.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("llm: %w", err) // names the URL, never the key
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("llm: status %d", resp.StatusCode)
	}
	var out struct {
		Choices []struct {
			Message chatMessage `json:"message"`
		} `json:"choices"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxLLMReply)).Decode(&out); err != nil {
		return "", fmt.Errorf("llm: decode: %w", err)
	}
	if len(out.Choices) == 0 {
		return "", errors.New("llm: no choices")
	}
	return strings.TrimSpace(out.Choices[0].Message.Content), nil
}
