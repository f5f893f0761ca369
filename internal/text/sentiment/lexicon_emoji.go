package sentiment

// emojiWords returns common emoji and Weibo-style bracket emoticon names
// with their polarity, for both languages. Written for this package.
func emojiWords() map[string]float32 {
	return map[string]float32{
		"👍": 2, "👏": 2, "😊": 2, "😀": 2, "😃": 2, "😄": 2, "😁": 2, "😍": 3, "🥰": 3, "😘": 2, "❤": 2, "💕": 2,
		"💯": 2, "🎉": 2, "🙏": 1, "😂": 1, "🤣": 1, "☺": 2, "🌟": 2, "⭐": 1, "💪": 1, "🤝": 1, "✌": 1, "🆗": 1,
		"👎": -2, "😡": -3, "😠": -2, "🤬": -3, "😢": -2, "😭": -2, "😞": -2, "😔": -2, "😒": -2, "🙄": -2, "😤": -2,
		"💩": -2, "😩": -2, "😫": -2, "🤮": -3, "🤢": -2, "💔": -2, "😓": -1, "😣": -1, "😰": -1, "😑": -1, "😐": -1,
		"鼓掌": 2, "爱你": 2, "嘻嘻": 2, "抓狂": -2, "鄙视": -2, "怒骂": -2,
	}
}
