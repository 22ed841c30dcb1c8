namespace CrowdWatch.Alerts.Delivery;

/// <summary>
/// Splits a text into SMS parts as UCS-2 (the encoding any Chinese text needs) allows: one message of up to 70
/// characters, or parts of up to 67 each (three go to the concatenation header). Parts end at a sentence's end where
/// one is near, else at a comma or space, and never inside a surrogate pair, so that no warning is cut mid-sentence
/// when it need not be.
/// </summary>
public static class SmsText
{
    /// <summary>Characters in a single UCS-2 message.</summary>
    public const int Single = 70;

    /// <summary>Characters per part of a concatenated UCS-2 message.</summary>
    public const int PerPart = 67;

    private const string SentenceEnds = "。！？；!?;.";
    private const string SoftBreaks = "，、,： ";

    /// <summary>The parts of <paramref name="text"/>.</summary>
    public static IReadOnlyList<string> Parts(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.Length <= Single) return text.Length == 0 ? [] : [text];
        var parts = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var left = text.Length - start;
            if (left <= PerPart)
            {
                parts.Add(text[start..]);
                break;
            }

            var cut = Cut(text, start, start + PerPart);
            parts.Add(text[start..cut].TrimEnd());
            start = cut;
            while (start < text.Length && text[start] == ' ') start++;
        }

        return parts;
    }

    // The end of the part starting at start and holding at most up to max (exclusive): after a sentence end in the
    // part's second half, else after a soft break there, else at max (moved back off a high surrogate).
    private static int Cut(string text, int start, int max)
    {
        var half = start + ((max - start) / 2);
        for (var i = max - 1; i >= half; i--) if (SentenceEnds.Contains(text[i], StringComparison.Ordinal)) return i + 1;
        for (var i = max - 1; i >= half; i--) if (SoftBreaks.Contains(text[i], StringComparison.Ordinal)) return i + 1;
        return char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
    }
}
