using Hotline.Runtime.Knowledge;

namespace Hotline.Runtime.Tests;

public sealed class KnowledgeTokenizerTests
{
    private static string[] Query(string text) => KnowledgeTokenizer.ForQuery(text).Select(t => t.Text).ToArray();

    private static string[] Document(string text) => KnowledgeTokenizer.ForDocument(text).Select(t => t.Text).ToArray();

    [Fact]
    public void Chinese_without_spaces_becomes_overlapping_bigrams()
    {
        Assert.Equal(["社保", "保卡", "卡补", "补办"], Query("社保卡补办"));
    }

    [Fact]
    public void A_one_character_query_is_a_unigram_and_documents_index_unigrams_so_it_can_match()
    {
        Assert.Equal(["水"], Query("水"));
        var doc = Document("停水");
        Assert.Contains("水", doc);
        Assert.Contains("停", doc);
        Assert.Contains("停水", doc);
        Assert.DoesNotContain("停", Query("停水"));
    }

    [Fact]
    public void Latin_words_and_digits_are_lowercase_words_separate_from_the_Chinese_around_them()
    {
        var tokens = Query("拨打12345热线或用APP办理5G套餐");
        Assert.Contains("12345", tokens);
        Assert.Contains("app", tokens);
        Assert.Contains("5g", tokens);
        Assert.Contains("热线", tokens);
        Assert.Contains("办理", tokens);
        Assert.DoesNotContain(tokens, t => t.Any(char.IsAsciiDigit) && t.Any(c => c > 0x2E80));
        Assert.DoesNotContain(tokens, t => t.Any(char.IsAsciiLetter) && t.Any(c => c > 0x2E80));
    }

    [Fact]
    public void Punctuation_of_either_width_and_spaces_end_a_run_so_no_bigram_spans_them()
    {
        var tokens = Query("停水，通知。恢复!供水 时间、地点（东湖）");
        Assert.Contains("停水", tokens);
        Assert.Contains("通知", tokens);
        Assert.DoesNotContain("水通", tokens);
        Assert.DoesNotContain("知恢", tokens);
        Assert.DoesNotContain("复供", tokens);
        Assert.DoesNotContain("水时", tokens);
        Assert.DoesNotContain("间地", tokens);
        Assert.DoesNotContain("点东", tokens);
        Assert.Empty(Query("？！。，、（）…… ——"));
    }

    [Fact]
    public void Full_width_letters_digits_and_spaces_fold_to_their_ASCII_forms()
    {
        Assert.Equal(["app", "12345"], Query("ＡＰＰ　１２３４５"));
        Assert.Equal(Query("拨打12345"), Query("拨打１２３４５"));
        Assert.Equal("abc 123!", KnowledgeTokenizer.Fold("ＡＢＣ　１２３！"));
    }

    [Fact]
    public void Token_positions_point_into_the_original_text_even_after_folding_and_beyond_the_basic_plane()
    {
        const string text = "请用ＡＰＰ查询𠮷野家的营业时间";
        foreach (var token in KnowledgeTokenizer.ForDocument(text))
        {
            Assert.Equal(token.Text, KnowledgeTokenizer.Fold(text.Substring(token.Start, token.Length)));
        }
        Assert.Contains("𠮷野", Query(text));
        Assert.Contains("app", Query(text));
    }

    [Fact]
    public void Aliases_apply_in_both_directions_and_only_add_what_the_text_does_not_already_say()
    {
        var aliases = new KnowledgeAliases([["社保", "社会保障"], ["社保", "社会保险"], ["补办", "补领"]]);
        Assert.Equal([new AliasMatch(0, 2, ["社会保障", "社会保险"]), new AliasMatch(3, 2, ["补领"])], aliases.Find("社保卡补办"), Same);
        Assert.Equal([new AliasMatch(0, 4, ["社保"])], aliases.Find("社会保障卡"), Same);
        Assert.Equal([new AliasMatch(0, 2, ["社会保障"])], aliases.Find("社保（社会保险）"), Same);
        Assert.Empty(aliases.Find("停水通知"));
    }

    private static readonly IEqualityComparer<AliasMatch> Same = EqualityComparer<AliasMatch>.Create(
        (a, b) => a!.Start == b!.Start && a.Length == b.Length && a.Alternatives.SequenceEqual(b.Alternatives), m => m.Start);

    [Fact]
    public void An_aliased_phrase_is_one_concept_whose_alternatives_compete_rather_than_add_up()
    {
        var query = KnowledgeQuery.Parse("社保卡补办", new KnowledgeAliases([["社保", "社会保障"], ["补办", "补领"]]));
        var concepts = query.Concepts.Select(c => string.Join(" | ", c.Select(a => string.Join(" ", a.Select(t => $"{t.Text}:{t.Weight}"))))).ToArray();
        Assert.Equal(["社保:1 | 社会:0.8 会保:0.8 保障:0.8", "补办:1 | 补领:0.8", "保卡:1", "卡补:1"], concepts);
    }
}

public sealed class KnowledgeRankingTests
{
    private static readonly DateTimeOffset Then = new(2026, 3, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private static KnowledgeArticle Article(string id, string title, string answer, string[]? questions = null, string[]? keywords = null,
        string category = "general", bool retired = false) =>
        new(id, title, questions ?? [], keywords ?? [], answer, null, category, null, 1, Then, "staff:test", Then, "staff:test", retired);

    private static readonly KnowledgeArticle[] Corpus =
    [
        Article("sscard", "社会保障卡补领办理流程", "携带身份证到社会保障卡服务网点申请补领，即时制卡网点当场领卡。", category: "social-insurance"),
        Article("licence", "驾驶证补办流程", "驾驶证遗失后，可在交管12123 APP申请补领，邮寄到家。", category: "traffic"),
        Article("water-plan", "计划停水通知查询", "计划停水提前24小时在澜海水务公众号公告，恢复供水后放水几分钟。", category: "water-supply"),
        Article("water-bill", "水费缴纳方式", "水费可通过公众号、支付宝或营业厅缴纳，阶梯水价按年计算。", category: "water-supply"),
        Article("hpf", "住房公积金提取条件", "购房、还贷、租房、退休等情形可申请提取住房公积金，租房提取每年一次。", category: "provident-fund"),
        Article("hpf-loan", "住房公积金贷款额度", "连续缴存满6个月可申请公积金贷款，最高可贷60万元。", category: "provident-fund"),
        Article("power", "停电怎么办", "先检查家中空气开关，整栋楼停电请拨打95598报修。", questions: ["家里没电了怎么办？"], category: "power-outage"),
        Article("garbage", "垃圾分类投放指南", "废电池属于有害垃圾，请投入红色垃圾桶。外卖餐盒清理后投入其他垃圾。", keywords: ["垃圾分类", "有害垃圾"], category: "sanitation"),
        Article("retired-water", "停水补偿标准（已废止）", "旧的停水补偿标准。", category: "water-supply", retired: true),
    ];

    private static readonly KnowledgeAliases Aliases = new([["社保", "社会保障"], ["补办", "补领"], ["停水", "没水"]]);

    private static KnowledgePage Search(string text, KnowledgeAliases? aliases = null, string? category = null) =>
        new KnowledgeIndex(Corpus).Search(KnowledgeQuery.Parse(text, aliases ?? Aliases), category);

    [Theory]
    [InlineData("停水", "water-plan")]
    [InlineData("停水通知", "water-plan")]
    [InlineData("公积金提取", "hpf")]
    [InlineData("公积金怎么提取", "hpf")]
    [InlineData("公积金贷款能贷多少", "hpf-loan")]
    [InlineData("电池是什么垃圾", "garbage")]
    [InlineData("家里没电了", "power")]
    [InlineData("水费怎么交", "water-bill")]
    public void Realistic_questions_find_their_article_first(string question, string expected)
    {
        var page = Search(question);
        Assert.True(page.Items.Count > 0, question);
        Assert.Equal(expected, page.Items[0].Id);
    }

    [Fact]
    public void The_spoken_short_form_finds_the_official_title_through_the_alias_list_and_not_without_it()
    {
        // 社保卡补办 and 社会保障卡补领 share only the bigram 卡补; 驾驶证补办流程 shares 补办 in its title.
        var without = Search("社保卡补办", KnowledgeAliases.None).Items;
        Assert.NotEqual("sscard", without.Count > 0 ? without[0].Id : null);
        Assert.Equal("sscard", Search("社保卡补办").Items[0].Id);
        Assert.Equal("sscard", Search("社保卡丢了怎么补办").Items[0].Id);
    }

    [Fact]
    public void The_callers_own_words_outrank_the_same_meaning_reached_through_an_alias()
    {
        var articles = new[]
        {
            Article("plain", "没水了怎么办", "请联系物业检查阀门。"),
            Article("formal", "停水了怎么办", "请联系物业检查阀门。"),
        };
        var hits = new KnowledgeIndex(articles).Search(KnowledgeQuery.Parse("停水了", Aliases)).Items;
        Assert.Equal(["formal", "plain"], hits.Select(h => h.Id));
    }

    [Fact]
    public void A_term_in_the_title_or_a_question_counts_for_more_than_the_same_term_in_the_answer()
    {
        var articles = new[]
        {
            Article("in-answer", "物业服务常见问题", "业主可以咨询电梯年检、电梯维修和物业费问题。"),
            Article("in-title", "电梯年检查询", "年检合格标志张贴在轿厢内。"),
            Article("in-question", "特种设备问题", "合格标志张贴在轿厢内。", questions: ["电梯年检在哪里看？"]),
            Article("filler", "燃气开户", "预约上门安检。"),
        };
        var hits = new KnowledgeIndex(articles).Search(KnowledgeQuery.Parse("电梯年检")).Items.Select(h => h.Id).ToArray();
        Assert.Equal("in-title", hits[0]);
        Assert.Equal("in-answer", hits[^1]);
        Assert.DoesNotContain("filler", hits);
    }

    [Fact]
    public void Question_words_do_not_make_an_article_about_something_else_match()
    {
        // "停电怎么办" shares only 怎么/么办 with the query, and in this small corpus they are as rare as any topic.
        var hits = Search("停水怎么办").Items.Select(h => h.Id).ToArray();
        Assert.Equal("water-plan", hits[0]);
        Assert.DoesNotContain("power", hits);
        // Said alone, they are all there is to search for.
        Assert.Equal("power", Search("怎么办").Items[0].Id);
    }

    [Fact]
    public void Hits_far_below_the_best_are_dropped_though_they_match()
    {
        var articles = new[]
        {
            Article("gas", "燃气开户办理", "新房开通燃气请预约上门安检，燃气开户需带身份证和房产证。"),
            Article("noise", "夜间施工噪音", "22点后禁止施工作业，工地在小区附近的，可以拨打12345反映，由住建部门查处。"),
            Article("parking", "小区停车收费", "小区内共有道路上的车位收费由业主大会决定。"),
            Article("garbage", "垃圾分类", "小区定时定点投放，时间以小区公示为准。"),
        };
        var index = new KnowledgeIndex(articles);
        Assert.Equal(3, index.Search(KnowledgeQuery.Parse("小区")).Total);
        Assert.Equal("gas", Assert.Single(index.Search(KnowledgeQuery.Parse("我们小区燃气开户")).Items).Id);
    }

    [Fact]
    public void Retired_articles_are_never_found_but_are_listed_when_asked_for()
    {
        Assert.DoesNotContain(Search("停水补偿标准").Items, h => h.Id == "retired-water");
        var index = new KnowledgeIndex(Corpus);
        Assert.DoesNotContain(index.List().Items, h => h.Id == "retired-water");
        var listed = index.List(includeRetired: true).Items.Single(h => h.Id == "retired-water");
        Assert.True(listed.Retired);
        Assert.Null(listed.Score);
    }

    [Fact]
    public void A_category_narrows_the_hits_and_the_total_counts_them_all()
    {
        var page = Search("停水 水费", category: "water-supply");
        Assert.Equal(2, page.Total);
        Assert.All(page.Items, h => Assert.Equal("water-supply", h.Category));
        Assert.Empty(Search("停水", category: "sanitation").Items);
        var paged = new KnowledgeIndex(Corpus).Search(KnowledgeQuery.Parse("停水 水费", Aliases), "water-supply", skip: 1, take: 1);
        Assert.Equal(2, paged.Total);
        Assert.Equal(page.Items[1].Id, Assert.Single(paged.Items).Id);
    }

    [Fact]
    public void Scores_rank_the_hits_and_full_width_or_mixed_queries_match_ASCII_text()
    {
        var hits = Search("ＡＰＰ补领驾驶证").Items;
        Assert.Equal("licence", hits[0].Id);
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.Equal("power", Search("95598").Items[0].Id);
    }

    [Fact]
    public void The_snippet_quotes_the_answer_where_the_callers_words_occur()
    {
        var answer = new string('甲', 100) + "废电池属于有害垃圾，请投入红色垃圾桶。" + new string('乙', 100);
        var snippet = KnowledgeIndex.Snippet(answer, KnowledgeQuery.Parse("电池"));
        Assert.Contains("废电池属于有害垃圾", snippet);
        Assert.StartsWith("…", snippet);
        Assert.EndsWith("…", snippet);
        Assert.True(snippet.Length <= 82, snippet);
        Assert.Equal("短答案。", KnowledgeIndex.Snippet("短答案。", KnowledgeQuery.Parse("停水")));
    }

    [Fact]
    public void A_query_of_nothing_but_punctuation_is_empty()
    {
        Assert.True(KnowledgeQuery.Parse("？？！…").IsEmpty);
        Assert.False(KnowledgeQuery.Parse("水").IsEmpty);
    }
}
