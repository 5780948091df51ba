/* Packs known samples with firmware_interfaces/anklet/anklet_packet.h and
 * prints each packet as one line of hex; also answers parse checks.
 * Compiled and run by test_anklet_c_header.py. */
#include <stdio.h>
#include "anklet_packet.h"

static void print_hex(const uint8_t *bytes, size_t n)
{
    size_t i;
    for (i = 0; i < n; ++i) {
        printf("%02x", bytes[i]);
    }
    printf("\n");
}

int main(void)
{
    /* Packet 1: physical values in g and deg/s, converted by the header. */
    static const float acc_g[3][3] = {{0.0f, 0.0f, 1.0f}, {0.25f, -0.5f, 1.125f}, {-3.3f, 7.9f, 20.0f}};
    static const float gyr_dps[3][3] = {{10.0f, -20.0f, 30.0f}, {123.4f, -567.8f, 0.3f}, {-1999.0f, 2500.0f, -0.7f}};
    int16_t counts[3][6];
    uint8_t packet[ANKLET_HEADER_SIZE + 19u * ANKLET_SAMPLE_SIZE];
    anklet_command_t cmd;
    static const uint8_t start[5] = {0x01, 0x02, 0x03, 0xe8, 0x03};
    static const uint8_t bad_rate[5] = {0x01, 0x02, 0x03, 0x34, 0x00};
    size_t i, n;

    for (i = 0; i < 3u; ++i) {
        anklet_sample_counts(counts[i], acc_g[i], gyr_dps[i], 2u, 3u);
    }
    n = anklet_pack_packet(packet, sizeof(packet), 0u, 65535u, 4294967000u, 2u, 3u, 1000u,
                           (const int16_t (*)[6])counts, 3u);
    print_hex(packet, n);

    /* Packet 2: raw counts including the extremes, FIFO-overflow flag set. */
    {
        static const int16_t raw[2][6] = {{-32768, 32767, 0, 1, -1, 256}, {4096, -4096, 2048, -2048, 100, -100}};
        n = anklet_pack_packet(packet, sizeof(packet), ANKLET_FLAG_FIFO_OVERFLOW, 1u, 0u, 0u, 0u, 20000u, raw, 2u);
        print_hex(packet, n);
    }

    /* Capacity and parser answers, one number per line. */
    printf("%u\n", (unsigned)anklet_samples_per_notification(247u));
    printf("%u\n", (unsigned)anklet_parse_command(start, sizeof(start), &cmd));
    printf("%u %u %u\n", (unsigned)cmd.acc_range_code, (unsigned)cmd.gyr_range_code, (unsigned)cmd.rate_hz);
    printf("%u\n", (unsigned)anklet_parse_command(bad_rate, sizeof(bad_rate), &cmd));
    return 0;
}
