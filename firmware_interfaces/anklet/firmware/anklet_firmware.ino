/*
 * anklet reference firmware: Seeed Studio XIAO nRF52840 Sense (on-board LSM6DS3).
 *
 * Speaks the anklet open protocol v1 (../README.md) using ../anklet_packet.h.
 * Build: Arduino IDE / arduino-cli with the "Seeed nRF52 mbed-enabled Boards"
 * core, libraries ArduinoBLE and "Seeed Arduino LSM6DS3". Copy (or symlink)
 * anklet_packet.h next to this file, because the Arduino builder only looks
 * in the sketch folder. Set ANKLET_SIDE to "L" or "R" per sensor.
 *
 * Status: a readable reference, NOT compiled in CI and not yet run on
 * hardware. Known limits, stated honestly:
 *  - Samples are read by polling on micros(); at 1000 Hz the loop must not
 *    block for more than ~1 ms, which BLE.poll() normally respects. A timer +
 *    the LSM6DS3 FIFO would be more robust and is the next step.
 *  - ArduinoBLE cannot answer a write with a custom ATT error, so bad control
 *    writes are ignored instead of answered with 0x80/0x81.
 *  - ANKLET_SAMPLES_PER_PACKET = 19 needs an ATT MTU of 247 (Data Length
 *    Extension). With a smaller MTU lower it: samples = (MTU - 3 - 12) / 12.
 *
 * Licence: MIT, like the rest of anklet.
 */
#include <ArduinoBLE.h>
#include <LSM6DS3.h>
#include <Wire.h>

#include "anklet_packet.h"

#ifndef ANKLET_SIDE
#define ANKLET_SIDE "L"
#endif
#define ANKLET_SAMPLES_PER_PACKET 19u

/* LSM6DS3 registers and sensitivities (ST LSM6DS3 datasheet DocID026899, Table 3). */
#define LSM6DS3_OUTX_L_G 0x22u /* 12 bytes: gyro x,y,z then accel x,y,z, int16 LE */
static const float ACC_MG_PER_LSB[4] = {0.061f, 0.122f, 0.244f, 0.488f};    /* 2, 4, 8, 16 g */
static const float GYR_MDPS_PER_LSB[4] = {8.75f, 17.5f, 35.0f, 70.0f};      /* 245, 500, 1000, 2000 dps */
static const uint16_t CHIP_GYR_RANGE[4] = {245u, 500u, 1000u, 2000u};
static const uint16_t CHIP_ACC_RANGE[4] = {2u, 4u, 8u, 16u};

LSM6DS3 imu(I2C_MODE, 0x6A);

BLEService ankletService(ANKLET_SERVICE_UUID);
BLECharacteristic dataChar(ANKLET_DATA_CHAR_UUID, BLENotify,
                           ANKLET_HEADER_SIZE + ANKLET_SAMPLES_PER_PACKET * ANKLET_SAMPLE_SIZE);
BLECharacteristic controlChar(ANKLET_CONTROL_CHAR_UUID, BLEWrite, ANKLET_START_COMMAND_SIZE);
BLEService batteryService("180F");
BLEUnsignedCharCharacteristic batteryLevel("2A19", BLERead | BLENotify);

static uint8_t packet[ANKLET_HEADER_SIZE + ANKLET_SAMPLES_PER_PACKET * ANKLET_SAMPLE_SIZE];
static int16_t samples[ANKLET_SAMPLES_PER_PACKET][6];
static uint8_t sampleCount = 0;
static uint32_t firstSampleUs = 0;
static uint16_t sequence = 0;
static bool streaming = false;
static bool fifoOverflow = false;
static anklet_command_t config = {0u, 3u, 3u, 100u};
static uint32_t periodUs = 10000u;
static uint32_t nextSampleUs = 0;

static void configureImu(const anklet_command_t *cmd)
{
    imu.settings.accelRange = CHIP_ACC_RANGE[cmd->acc_range_code];
    imu.settings.gyroRange = CHIP_GYR_RANGE[cmd->gyr_range_code];
    imu.settings.accelSampleRate = 1666; /* oversample; we read at the requested rate */
    imu.settings.gyroSampleRate = 1666;
    imu.begin();
}

static void onControlWritten(BLEDevice central, BLECharacteristic characteristic)
{
    anklet_command_t cmd;
    (void)central;
    if (anklet_parse_command(characteristic.value(), characteristic.valueLength(), &cmd) != 0u) {
        return; /* see header comment: no custom ATT error with ArduinoBLE */
    }
    if (!cmd.is_start) {
        streaming = false;
        return;
    }
    config = cmd;
    configureImu(&config);
    periodUs = 1000000u / config.rate_hz;
    sequence = 0u;
    sampleCount = 0u;
    fifoOverflow = false;
    nextSampleUs = micros();
    streaming = true;
}

static void readSample(int16_t counts[6])
{
    uint8_t raw[12];
    float acc_g[3], gyr_dps[3];
    size_t i;
    imu.readRegisterRegion(raw, LSM6DS3_OUTX_L_G, sizeof(raw));
    for (i = 0; i < 3u; ++i) {
        int16_t g = (int16_t)(raw[2u * i] | (raw[2u * i + 1u] << 8));
        int16_t a = (int16_t)(raw[6u + 2u * i] | (raw[6u + 2u * i + 1u] << 8));
        gyr_dps[i] = g * GYR_MDPS_PER_LSB[config.gyr_range_code] * 0.001f;
        acc_g[i] = a * ACC_MG_PER_LSB[config.acc_range_code] * 0.001f;
    }
    anklet_sample_counts(counts, acc_g, gyr_dps, config.acc_range_code, config.gyr_range_code);
}

static void sendPacket(void)
{
    size_t n = anklet_pack_packet(packet, sizeof(packet), fifoOverflow ? ANKLET_FLAG_FIFO_OVERFLOW : 0u,
                                  sequence, firstSampleUs, config.acc_range_code, config.gyr_range_code,
                                  (uint16_t)periodUs, (const int16_t (*)[6])samples, sampleCount);
    if (n != 0u && dataChar.writeValue(packet, n)) {
        fifoOverflow = false;
    } else {
        fifoOverflow = true; /* the host sees the gap in sequence and timestamp */
    }
    sequence++;
    sampleCount = 0u;
}

static uint8_t readBatteryPercent(void)
{
#if defined(PIN_VBAT) && defined(VBAT_ENABLE)
    /* XIAO nRF52840: VBAT through a 1M/510k divider, enabled by pulling VBAT_ENABLE low. */
    pinMode(VBAT_ENABLE, OUTPUT);
    digitalWrite(VBAT_ENABLE, LOW);
    float volts = analogRead(PIN_VBAT) * (3.3f / 1023.0f) * (1510.0f / 510.0f);
    float percent = (volts - 3.3f) / (4.2f - 3.3f) * 100.0f;
    return (uint8_t)(percent < 0.0f ? 0.0f : (percent > 100.0f ? 100.0f : percent));
#else
    return 100u;
#endif
}

void setup()
{
    if (!BLE.begin()) {
        while (1) {
        }
    }
    imu.begin();
    BLE.setLocalName("anklet-" ANKLET_SIDE);
    BLE.setAdvertisedService(ankletService);
    ankletService.addCharacteristic(dataChar);
    ankletService.addCharacteristic(controlChar);
    batteryService.addCharacteristic(batteryLevel);
    BLE.addService(ankletService);
    BLE.addService(batteryService);
    controlChar.setEventHandler(BLEWritten, onControlWritten);
    batteryLevel.writeValue(readBatteryPercent());
    BLE.advertise();
}

void loop()
{
    static uint32_t lastBatteryMs = 0;
    BLE.poll();
    if (!BLE.connected()) {
        streaming = false;
        return;
    }
    if (millis() - lastBatteryMs > 60000u) {
        lastBatteryMs = millis();
        batteryLevel.writeValue(readBatteryPercent());
    }
    if (!streaming || (int32_t)(micros() - nextSampleUs) < 0) {
        return;
    }
    if (sampleCount == 0u) {
        firstSampleUs = nextSampleUs; /* the scheduled time of the first sample in this packet */
    }
    readSample(samples[sampleCount++]);
    nextSampleUs += periodUs;
    if ((int32_t)(micros() - nextSampleUs) > (int32_t)periodUs) {
        /* fell behind by more than a sample: skip ahead, flag the loss, and restart the packet */
        nextSampleUs = micros();
        sendPacket();
        fifoOverflow = true; /* flags the NEXT packet: samples were lost before it */
        return;
    }
    if (sampleCount == ANKLET_SAMPLES_PER_PACKET) {
        sendPacket();
    }
}
