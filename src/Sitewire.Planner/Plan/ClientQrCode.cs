using System.Text;
using QRCoder;

namespace Sitewire.Planner.Plan;

/// <summary>
/// A road-warrior config as a QR code, as the WireGuard mobile apps import it: PNG, and text for a
/// terminal in UTF-8 half blocks (two module rows per line; light modules drawn, for dark
/// terminals, as <c>qrencode -t utf8</c> does).
/// </summary>
public static class ClientQrCode
{
    public static (byte[] Png, string Terminal) Render(string config)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(config, QRCodeGenerator.ECCLevel.L);
        using var png = new PngByteQRCode(data);
        return (png.GetGraphic(6), Terminal(data));
    }

    private static string Terminal(QRCodeData data)
    {
        var matrix = data.ModuleMatrix;
        var size = matrix.Count;
        var text = new StringBuilder();
        for (var row = 0; row < size; row += 2)
        {
            for (var column = 0; column < size; column++)
            {
                var top = !matrix[row][column];
                var bottom = row + 1 < size ? !matrix[row + 1][column] : true;
                text.Append((top, bottom) switch
                {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    _ => ' ',
                });
            }
            text.Append('\n');
        }
        return text.ToString();
    }
}
