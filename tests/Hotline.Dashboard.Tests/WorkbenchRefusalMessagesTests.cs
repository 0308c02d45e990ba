using System.Reflection;
using System.Text.RegularExpressions;
using Hotline.Api;
using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Dashboard.Tests;

/// <summary>
/// Every refusal code the lifecycle (and the knowledge proposals' review) can answer has a sentence in both of the
/// workbench's languages, so staff never read a raw code: a code added to <see cref="RefusalCodes"/> without its
/// sentences fails here. Read from the script as the app serves it (its embedded resource).
/// </summary>
public sealed partial class WorkbenchRefusalMessagesTests
{
    private static IEnumerable<string> Codes(Type type) => type
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void Every_refusal_code_reads_as_a_sentence_in_chinese_and_in_english()
    {
        using var stream = typeof(KnowledgeProposalEndpoints).Assembly.GetManifestResourceStream("Hotline.Workbench.workbench.js")!;
        var script = new StreamReader(stream).ReadToEnd();
        var zhStart = script.IndexOf("\n    zh: {", StringComparison.Ordinal);
        var enStart = script.IndexOf("\n    en: {", StringComparison.Ordinal);
        Assert.True(zhStart > 0 && enStart > zhStart, "the script's STRINGS has zh then en");
        var languages = new Dictionary<string, HashSet<string>>
        {
            ["zh"] = Keys(script[zhStart..enStart]),
            ["en"] = Keys(script[enStart..]),
        };

        var codes = Codes(typeof(RefusalCodes))
            .Concat([KnowledgeProposalEndpoints.Decided, KnowledgeProposalEndpoints.ArticleChanged]).ToList();
        Assert.Contains("escalation.outcome-out-of-order", codes);
        var missing = (from code in codes from lang in languages where !lang.Value.Contains(code) select $"{lang.Key}: {code}").ToList();
        Assert.True(missing.Count == 0, "refusal codes without a sentence: " + string.Join(", ", missing));
    }

    private static HashSet<string> Keys(string section) =>
        RefusalKey().Matches(section).Select(m => m.Groups[1].Value).Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"'refusal\.([A-Za-z.-]+)':\s*'[^']+'")]
    private static partial Regex RefusalKey();
}
