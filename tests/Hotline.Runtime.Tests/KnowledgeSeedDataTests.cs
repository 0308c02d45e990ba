using System.Runtime.CompilerServices;
using Hotline.Runtime.Knowledge;
using Hotline.Runtime.Organizers;

namespace Hotline.Runtime.Tests;

/// <summary>The shipped knowledge file: it must load against the shipped directory, and callers' wording must find its answers.</summary>
public sealed class KnowledgeSeedDataTests
{
    private static readonly string DataDirectory = Path.GetFullPath(Path.Combine(SourceDirectory(), "..", "..", "functions", "Hotline.LocalHost", "Data"));
    private static readonly KnowledgeSeed Seed = KnowledgeSeed.Parse(File.ReadAllText(Path.Combine(DataDirectory, "knowledge.json")));
    private static readonly DateTimeOffset Then = new(2026, 3, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static readonly KnowledgeIndex Index = new(Seed.Articles.Select(a =>
        new KnowledgeArticle(a.Id, a.Title, a.Questions ?? [], a.Keywords ?? [], a.Answer, a.AnswerEn, a.Category, a.Owner, 1, Then, "system:seed", Then, "system:seed")));

    [Fact]
    public void Every_seed_article_follows_the_rules_and_names_a_unit_of_the_shipped_directory()
    {
        var directory = OrganizerDirectory.Parse(File.ReadAllText(Path.Combine(DataDirectory, "organizers.json")));
        Assert.InRange(Seed.Articles.Count, 30, 99);
        foreach (var article in Seed.Articles)
        {
            var errors = KnowledgeRules.Validate(KnowledgeRules.Normalize(article.ToDraft()), directory);
            Assert.True(errors.Count == 0, $"{article.Id}: {string.Join(" ", errors)}");
        }
        Assert.True(Seed.Aliases.Count >= 20);
    }

    [Theory]
    [InlineData("社保卡怎么补办", "kb-sscard-reissue")]
    [InlineData("社保卡补办", "kb-sscard-reissue")]
    [InlineData("社会保障卡丢了", "kb-sscard-reissue")]
    [InlineData("停水", "kb-water-planned-outage")]
    [InlineData("停水通知", "kb-water-planned-outage")]
    [InlineData("家里没水了", "kb-water-sudden-outage")]
    [InlineData("公积金提取", "kb-hpf-withdraw")]
    [InlineData("公积金怎么取出来", "kb-hpf-withdraw")]
    [InlineData("被困在电梯里", "kb-elevator-trapped")]
    [InlineData("怎么办狗证", "kb-dog-registration")]
    [InlineData("孩子上一年级怎么报名", "kb-school-primary")]
    [InlineData("家里有煤气味", "kb-gas-leak")]
    [InlineData("老板拖欠工资", "kb-wage-arrears")]
    [InlineData("宝宝怎么上户口", "kb-hukou-newborn")]
    [InlineData("外卖盒是什么垃圾", "kb-garbage-sorting")]
    [InlineData("买了二手房电费过户", "kb-power-account-transfer")]
    [InlineData("违停", "kb-illegal-parking")]
    [InlineData("夜里工地很吵", "kb-night-construction")]
    [InlineData("请问旧沙发和床垫应该怎么扔，物业说不能放垃圾桶", "kb-bulky-waste")]
    [InlineData("社保卡丢了\n我上周在公交车上把社保卡弄丢了，想问一下去哪里补办，需要带什么材料", "kb-sscard-reissue")]
    public void A_callers_wording_finds_the_answer_first(string question, string expected)
    {
        var hits = Index.Search(KnowledgeQuery.Parse(question, Seed.Aliases)).Items;
        Assert.True(hits.Count > 0 && hits[0].Id == expected, $"{question}: {string.Join(", ", hits.Select(h => $"{h.Id} {h.Score}"))}");
    }
}
