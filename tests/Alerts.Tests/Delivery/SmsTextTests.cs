using CrowdWatch.Alerts.Delivery;

namespace CrowdWatch.Alerts.Tests.Delivery;

public class SmsTextTests
{
    [Fact]
    public void Up_to_seventy_characters_is_one_message()
    {
        var text = new string('人', 70);
        Assert.Equal([text], SmsText.Parts(text));
        Assert.Equal(2, SmsText.Parts(text + "多").Count);
    }

    [Fact]
    public void Long_chinese_text_is_cut_at_sentence_ends_into_parts_of_at_most_67()
    {
        var sentences = new[] { "洪崖洞观景平台人流密度已达每平方米三点一人。", "请立即实行单向通行并开启第二出口。", "千厮门大桥步道暂停进入。", "地铁小什字站请跳站通过。", "各疏导人员立即到位。" };
        var text = string.Concat(sentences);
        var parts = SmsText.Parts(text);
        Assert.True(parts.Count >= 2);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, SmsText.PerPart));
        Assert.Equal(text, string.Concat(parts));
        // Every part but the last ends a sentence.
        Assert.All(parts.SkipLast(1), p => Assert.EndsWith("。", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Text_without_any_break_is_cut_hard_but_never_inside_a_surrogate_pair()
    {
        var text = string.Concat(Enumerable.Repeat("𠀀", 80)); // each a surrogate pair: 160 UTF-16 units
        var parts = SmsText.Parts(text);
        Assert.All(parts, p =>
        {
            Assert.InRange(p.Length, 1, SmsText.PerPart);
            Assert.False(char.IsHighSurrogate(p[^1]));
            Assert.False(char.IsLowSurrogate(p[0]));
        });
        Assert.Equal(text, string.Concat(parts));
    }
}
