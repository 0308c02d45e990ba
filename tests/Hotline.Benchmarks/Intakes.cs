using System.Globalization;
using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Benchmarks;

/// <summary>
/// Matters as channels submit them: ordinary help requests, complaints and consultations spread over every
/// category the local host's directory handles, four districts and the whole city, each from a different
/// citizen. Deterministic in <c>n</c>, so runs are comparable.
/// </summary>
internal static class Intakes
{
    public static readonly Actor CallCentre = Actor.ChannelSystem("call-centre");

    public static readonly Actor Dispatcher = Actor.Staff("dispatcher-1");

    /// <summary>An organizer of the local host's directory.</summary>
    public const string Organizer = "lanhai-water";

    private static readonly (string Id, string Name)[] Districts = [("donghu", "东湖"), ("xiling", "西岭"), ("nangang", "南港"), ("beitang", "北塘")];

    private static readonly MatterType[] Types =
        [MatterType.Help, MatterType.Complaint, MatterType.Help, MatterType.Consultation, MatterType.Complaint, MatterType.Help, MatterType.Report, MatterType.Suggestion];

    // About 250 characters, as agents write them: what, where, since when, what the citizen asks for.
    private const string Description =
        "市民来电反映：所在小区3栋自本周一起每天早上7点至9点、晚上6点至9点出现问题，三楼以上住户受影响明显，" +
        "老人和小孩生活不便。市民已向物业反映两次，物业称不属于物业维修范围，建议向相关部门反映。" +
        "市民此前于上月也曾反映过类似情况，当时处理后有所好转，但近期再次出现。市民希望相关部门尽快派人现场查看，" +
        "查明原因并给出解决时间，同时希望在处理期间能够提供临时措施。市民表示如有需要可以配合上门检查，" +
        "联系时间为工作日下午。";

    private static readonly Lazy<string[]> Categories = new(() =>
        BenchRuntime.HostDirectory.Value.All.SelectMany(u => u.Categories).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());

    public static Intake For(long n, string channelRef, DateTimeOffset receivedAt)
    {
        var categories = Categories.Value;
        // Multiplicative hashing spreads consecutive numbers over the city (about 11 km by 11 km) and over citizens.
        var h = (ulong)n * 0x9E3779B97F4A7C15UL;
        var lat = 36.65 + (h >> 44) / (double)(1UL << 20) * 0.1;
        var lon = 119.05 + ((h >> 24) & 0xFFFFF) / (double)(1UL << 20) * 0.13;
        var district = Districts[n % Districts.Length];
        var phone = "139" + (10_000_000 + (long)(h % 90_000_000UL)).ToString(CultureInfo.InvariantCulture);
        return new Intake(Channel.Phone, channelRef, Types[n % Types.Length], Urgency.Normal, categories[n % categories.Length],
            "小区高峰时段问题反映", Description,
            new Location($"澜海市{district.Name}区幸福路{n % 500 + 1}号", district.Id, Math.Round(lat, 6), Math.Round(lon, 6)),
            new Citizen("张先生", phone, false), receivedAt);
    }
}
