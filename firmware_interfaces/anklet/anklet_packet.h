/*
 * anklet_packet.h - pack anklet open-protocol notifications and parse its
 * control commands. Plain C99, header only, no allocation, no floats beyond
 * the optional unit conversion helpers.
 *
 * Specification: firmware_interfaces/anklet/README.md. The Python encoder
 * anklet.sensors.anklet.encode_packet produces the same bytes; the test
 * tests/sensors/test_anklet_c_header.py compiles a program against this
 * header and checks that.
 *
 * Licence: MIT, like the rest of anklet.
 */
#ifndef ANKLET_PACKET_H
#define ANKLET_PACKET_H

#include <stddef.h>
#include <stdint.h>

#define ANKLET_PROTOCOL_VERSION 1u
#define ANKLET_HEADER_SIZE 12u
#define ANKLET_SAMPLE_SIZE 12u
#define ANKLET_FLAG_FIFO_OVERFLOW 0x01u

#define ANKLET_OPCODE_START 0x01u
#define ANKLET_OPCODE_STOP 0x02u
#define ANKLET_START_COMMAND_SIZE 5u

/* ATT error codes the firmware returns for a bad control write. */
#define ANKLET_ATT_ERR_UNKNOWN_OPCODE 0x80u
#define ANKLET_ATT_ERR_INVALID_SETTING 0x81u

/* 128-bit UUIDs (string form, for BLE stacks that take strings). */
#define ANKLET_SERVICE_UUID "b8280001-9870-4d4c-8c46-a80111a8c68c"
#define ANKLET_DATA_CHAR_UUID "b8280002-9870-4d4c-8c46-a80111a8c68c"
#define ANKLET_CONTROL_CHAR_UUID "b8280003-9870-4d4c-8c46-a80111a8c68c"

/* Range code (array index) -> full scale. */
static const float ANKLET_ACC_RANGES_G[4] = {2.0f, 4.0f, 8.0f, 16.0f};
static const float ANKLET_GYR_RANGES_DPS[4] = {250.0f, 500.0f, 1000.0f, 2000.0f};
static const uint16_t ANKLET_RATES_HZ[5] = {50u, 100u, 200u, 500u, 1000u};

/* Largest sample count that fits one notification for a given ATT MTU. */
static inline uint8_t anklet_samples_per_notification(uint16_t att_mtu)
{
    uint32_t n = (att_mtu < 3u + ANKLET_HEADER_SIZE) ? 0u
        : (uint32_t)(att_mtu - 3u - ANKLET_HEADER_SIZE) / ANKLET_SAMPLE_SIZE;
    return (uint8_t)(n > 255u ? 255u : n);
}

static inline void anklet_put_u16le(uint8_t *out, uint16_t value)
{
    out[0] = (uint8_t)(value & 0xFFu);
    out[1] = (uint8_t)(value >> 8);
}

static inline void anklet_put_u32le(uint8_t *out, uint32_t value)
{
    out[0] = (uint8_t)(value & 0xFFu);
    out[1] = (uint8_t)((value >> 8) & 0xFFu);
    out[2] = (uint8_t)((value >> 16) & 0xFFu);
    out[3] = (uint8_t)(value >> 24);
}

/*
 * Quantise a physical value to counts of full_scale / 32768: round half away
 * from zero, saturate to int16. value and full_scale in the same unit
 * (g and g, or deg/s and deg/s).
 */
static inline int16_t anklet_counts(float value, float full_scale)
{
    float scaled = value * 32768.0f / full_scale;
    float rounded = (scaled >= 0.0f) ? scaled + 0.5f : scaled - 0.5f;
    if (rounded >= 32767.0f) {
        return 32767;
    }
    if (rounded <= -32768.0f) {
        return -32768;
    }
    return (int16_t)rounded; /* C truncates toward zero: completes the rounding */
}

/* Write the 12-byte header. Returns ANKLET_HEADER_SIZE. */
static inline size_t anklet_pack_header(uint8_t *out, uint8_t flags, uint16_t sequence,
                                        uint32_t timestamp_us, uint8_t sample_count,
                                        uint8_t acc_range_code, uint8_t gyr_range_code,
                                        uint16_t sample_period_us)
{
    out[0] = (uint8_t)ANKLET_PROTOCOL_VERSION;
    out[1] = flags;
    anklet_put_u16le(&out[2], sequence);
    anklet_put_u32le(&out[4], timestamp_us);
    out[8] = sample_count;
    out[9] = (uint8_t)((acc_range_code & 0x0Fu) | ((gyr_range_code & 0x0Fu) << 4));
    anklet_put_u16le(&out[10], sample_period_us);
    return ANKLET_HEADER_SIZE;
}

/* Write one sample (acc x,y,z then gyr x,y,z counts) at out. Returns 12. */
static inline size_t anklet_pack_sample(uint8_t *out, const int16_t counts[6])
{
    size_t i;
    for (i = 0; i < 6u; ++i) {
        anklet_put_u16le(&out[2u * i], (uint16_t)counts[i]);
    }
    return ANKLET_SAMPLE_SIZE;
}

/* Convert one sample in g and deg/s to counts for the given range codes. */
static inline void anklet_sample_counts(int16_t counts[6], const float acc_g[3],
                                        const float gyr_dps[3], uint8_t acc_range_code,
                                        uint8_t gyr_range_code)
{
    size_t i;
    for (i = 0; i < 3u; ++i) {
        counts[i] = anklet_counts(acc_g[i], ANKLET_ACC_RANGES_G[acc_range_code & 3u]);
        counts[3u + i] = anklet_counts(gyr_dps[i], ANKLET_GYR_RANGES_DPS[gyr_range_code & 3u]);
    }
}

/*
 * Pack a whole notification. Returns the number of bytes written, or 0 if
 * sample_count is 0 or the packet does not fit out_size.
 */
static inline size_t anklet_pack_packet(uint8_t *out, size_t out_size, uint8_t flags,
                                        uint16_t sequence, uint32_t timestamp_us,
                                        uint8_t acc_range_code, uint8_t gyr_range_code,
                                        uint16_t sample_period_us,
                                        const int16_t (*samples)[6], uint8_t sample_count)
{
    size_t size = ANKLET_HEADER_SIZE + (size_t)sample_count * ANKLET_SAMPLE_SIZE;
    size_t offset;
    uint8_t i;
    if (sample_count == 0u || size > out_size) {
        return 0u;
    }
    offset = anklet_pack_header(out, flags, sequence, timestamp_us, sample_count,
                                acc_range_code, gyr_range_code, sample_period_us);
    for (i = 0; i < sample_count; ++i) {
        offset += anklet_pack_sample(&out[offset], samples[i]);
    }
    return offset;
}

typedef struct {
    uint8_t is_start;       /* 1: start, 0: stop */
    uint8_t acc_range_code; /* start only */
    uint8_t gyr_range_code; /* start only */
    uint16_t rate_hz;       /* start only */
} anklet_command_t;

/*
 * Parse a control write. Returns 0 on success, or the ATT error code to
 * answer with (ANKLET_ATT_ERR_UNKNOWN_OPCODE / ANKLET_ATT_ERR_INVALID_SETTING).
 */
static inline uint8_t anklet_parse_command(const uint8_t *data, size_t len, anklet_command_t *cmd)
{
    size_t i;
    if (len == 1u && data[0] == ANKLET_OPCODE_STOP) {
        cmd->is_start = 0u;
        return 0u;
    }
    if (len != ANKLET_START_COMMAND_SIZE || data[0] != ANKLET_OPCODE_START) {
        return ANKLET_ATT_ERR_UNKNOWN_OPCODE;
    }
    cmd->is_start = 1u;
    cmd->acc_range_code = data[1];
    cmd->gyr_range_code = data[2];
    cmd->rate_hz = (uint16_t)(data[3] | ((uint16_t)data[4] << 8));
    if (cmd->acc_range_code > 3u || cmd->gyr_range_code > 3u) {
        return ANKLET_ATT_ERR_INVALID_SETTING;
    }
    for (i = 0; i < sizeof(ANKLET_RATES_HZ) / sizeof(ANKLET_RATES_HZ[0]); ++i) {
        if (ANKLET_RATES_HZ[i] == cmd->rate_hz) {
            return 0u;
        }
    }
    return ANKLET_ATT_ERR_INVALID_SETTING;
}

#endif /* ANKLET_PACKET_H */
