using System.Text;
using Azure.Data.Tables;

namespace Hotline.Runtime.Store;

/// <summary>
/// Stores a long JSON text across several string properties: the Table service caps a string property at
/// 64 KiB (32K UTF-16 characters) and an entity at 1 MiB, and a matter's state grows with its history.
/// </summary>
internal static class JsonColumns
{
    private const int ChunkChars = 30_000;
    private const int MaxChunks = 30; // 30 x 60 KB stays under the 1 MiB entity limit with room for other properties

    public static void Write(TableEntity entity, string name, string json)
    {
        var chunks = (json.Length + ChunkChars - 1) / ChunkChars;
        if (chunks > MaxChunks)
        {
            throw new InvalidOperationException($"{entity.PartitionKey}/{entity.RowKey}: {json.Length} characters of JSON exceed what one row can hold.");
        }
        entity[name + "Chunks"] = Math.Max(chunks, 1);
        for (var i = 0; i < Math.Max(chunks, 1); i++)
        {
            var start = i * ChunkChars;
            entity[Column(name, i)] = json.Substring(start, Math.Min(ChunkChars, json.Length - start));
        }
    }

    public static string Read(TableEntity entity, string name)
    {
        var chunks = entity.GetInt32(name + "Chunks") ?? throw new InvalidOperationException($"{entity.PartitionKey}/{entity.RowKey} has no {name}.");
        if (chunks == 1) return entity.GetString(Column(name, 0)) ?? "";
        var builder = new StringBuilder();
        for (var i = 0; i < chunks; i++) builder.Append(entity.GetString(Column(name, i)));
        return builder.ToString();
    }

    private static string Column(string name, int i) => i == 0 ? name : name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
