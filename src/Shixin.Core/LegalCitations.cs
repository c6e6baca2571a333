using System.Text;
using System.Text.RegularExpressions;

namespace Shixin.Core;

/// <summary>
/// Legal citations spelled out in Chinese for readers: the rule set and the catalogs cite sources in a short form
/// ("000 §四(二)3", "法释〔2017〕7号 第十二条", "法发〔2019〕35号 §15"); a court clerk reads the document's title and
/// its provision (《…意见》第四部分第（二）项第3点). The English text keeps the short form (API clients match on it).
/// </summary>
public static partial class LegalCitations
{
    /// <summary>The SPC provisions on the dishonest-debtor list (LEGAL.md §1), cited by clerks by their full title.</summary>
    public const string SpcListProvisions = "《最高人民法院关于公布失信被执行人名单信息的若干规定》";

    /// <summary>The seed documents by their number in /work/shared/seeds (data/catalogs/README.md).</summary>
    private static readonly Dictionary<string, string> Seeds = new(StringComparer.Ordinal)
    {
        ["000"] = "《关于加快推进失信被执行人信用监督、警示和惩戒机制建设的意见》（中办发〔2016〕64号）",
        ["001"] = "《湛江市关于加快推进失信被执行人信用监督警示和惩戒机制建设的实施方案》（湛委办发电〔2019〕25号）",
        ["002"] = "《关于加快推进失信被执行人信用惩戒体系建设支持人民法院解决执行难问题的意见》（宁党办〔2017〕54号）",
        ["003"] = "江苏省《关于建立对失信被执行人联合惩戒机制的实施意见》",
        ["004"] = "《关于对失信被执行人联合惩戒的实施方案》（召办〔2018〕3号）",
    };

    private static readonly Dictionary<string, string> Documents = new(StringComparer.Ordinal)
    {
        ["法释〔2017〕7号"] = SpcListProvisions + "（法释〔2017〕7号）",
        ["法发〔2019〕35号"] = "《最高人民法院关于在执行工作中进一步强化善意文明执行理念的意见》（法发〔2019〕35号）",
    };

    /// <summary>A section path as written ("四(二)3", "三.一", "二.一.1") as 第四部分第（二）项第3点.</summary>
    public static string SectionZh(string path)
    {
        var parts = SectionParts().Matches(path).Select(m => m.Value.Trim('(', ')', '（', '）', '.')).Where(p => p.Length > 0).ToList();
        var sb = new StringBuilder();
        for (var i = 0; i < parts.Count; i++)
        {
            sb.Append(i switch
            {
                0 => "第" + parts[i] + "部分",
                1 => "第（" + parts[i] + "）项",
                _ => "第" + parts[i] + "点",
            });
        }

        return sb.Length == 0 ? path : sb.ToString();
    }

    /// <summary>
    /// A short-form source in Chinese: "000 §四(二)3" → 《…》（中办发〔2016〕64号）第四部分第（二）项第3点;
    /// "法释〔2017〕7号 第十二条" → 《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2017〕7号）第十二条;
    /// "platform default (…)" → 平台默认期限（…）. Text it cannot read is returned unchanged.
    /// </summary>
    public static string Zh(string source)
    {
        var s = source.Trim();
        if (s.StartsWith("seeds silent; ", StringComparison.Ordinal))
        {
            return Zh(s["seeds silent; ".Length..]);
        }

        if (s.StartsWith("SPC silent; ", StringComparison.Ordinal))
        {
            return Zh(s["SPC silent; ".Length..]);
        }

        if (s.StartsWith("platform default", StringComparison.Ordinal))
        {
            var inner = s["platform default".Length..].Trim().Trim('(', ')');
            if (inner.Length == 0)
            {
                return "平台默认期限";
            }

            // "(002 §四(二)3 and 003 §三(十二) set no period)", "(000 §四(二)5 says 及时, promptly)"
            var said = inner.Contains("says 及时", StringComparison.Ordinal) ? "仅要求“及时”" : "未规定期限";
            var cited = Citation().Matches(inner).Select(m => Zh(m.Value)).ToList();
            return cited.Count == 0 ? "平台默认期限" : "平台默认期限（" + string.Join("、", cited) + said + "）";
        }

        var seed = SeedCitation().Match(s);
        if (seed.Success && Seeds.TryGetValue(seed.Groups["doc"].Value, out var seedTitle))
        {
            return seedTitle + SectionZh(seed.Groups["path"].Value);
        }

        foreach (var (number, title) in Documents)
        {
            if (s.StartsWith(number, StringComparison.Ordinal))
            {
                var rest = s[number.Length..].Trim();
                if (rest.StartsWith('§'))
                {
                    rest = "第" + rest[1..] + "条";
                }

                return title + rest;
            }
        }

        return s;
    }

    [GeneratedRegex(@"(\([^)]*\)|（[^）]*）|[^().（）]+)")]
    private static partial Regex SectionParts();

    [GeneratedRegex(@"^(?<doc>\d{3}) §(?<path>\S+)$")]
    private static partial Regex SeedCitation();

    [GeneratedRegex(@"(\d{3} §[^\s,]+|法释〔\d{4}〕\d+号( 第[^ ,)]+条)?|法发〔\d{4}〕\d+号( §\d+)?)")]
    private static partial Regex Citation();
}
